// The Export form's words: a relative folder refused (here and by the contract), splits explained, thin splits warned.
import { describe, expect, it } from 'vitest';
import { exportOptionsSchema } from '../../../src-shared/api/export';
import {
  formatsProblem,
  outDirProblem,
  splitProblem,
  splitWarnings,
  wholeNumberProblem,
} from '../../../src-renderer/views/export/export-checks';

describe('export form checks', () => {
  it('refuses a relative output folder, in the form and in the contract', () => {
    expect(outDirProblem('dataset')).toMatch(/"dataset" is a relative path: give the full path/);
    expect(outDirProblem('  ')).toBe('Choose an output folder.');
    expect(outDirProblem('/data/out')).toBeNull();
    expect(outDirProblem('C:\\data\\out')).toBeNull();
    expect(() => exportOptionsSchema.parse({ outDir: 'dataset' })).toThrow(/must be a full path/);
    expect(exportOptionsSchema.parse({ outDir: '/data/out' }).outDir).toBe('/data/out');
  });

  it('words split problems', () => {
    expect(splitProblem('80/20')).toMatch(/needs three numbers, e.g. 80\/10\/10/);
    expect(splitProblem('80/10/5')).toMatch(/add up to 100.*these add up to 95/);
    expect(splitProblem('70 20 10')).toBeNull();
  });

  it('words a missing format and a number out of range', () => {
    expect(formatsProblem([])).toMatch(/Choose at least one format/);
    expect(formatsProblem(['csv'])).toBeNull();
    expect(wholeNumberProblem('The seed', 4.5)).toBe('The seed must be a whole number (e.g. 42).');
    expect(wholeNumberProblem('The minimum images per class', 0, 1)).toBe('The minimum images per class must be at least 1.');
    expect(wholeNumberProblem('The minimum images per class', Number.NaN, 1)).toMatch(/must be a whole number/);
    expect(wholeNumberProblem('The seed', 7)).toBeNull();
  });

  it('warns when a split is empty or under 5 % of the images', () => {
    expect(splitWarnings({ images: 100, perSplit: { train: 97, val: 3, test: 0 } })).toEqual([
      'The val split would hold only 3 of 100 images (under 5 %).',
      'The test split would be empty.',
    ]);
    expect(splitWarnings({ images: 100, perSplit: { train: 80, val: 10, test: 10 } })).toEqual([]);
  });
});
