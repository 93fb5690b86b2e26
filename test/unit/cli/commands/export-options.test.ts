// `sporeprint export` arguments: --min-groups-for-eval reaches the contract, and the summary names what the split could not honour.
import { describe, expect, it } from 'vitest';
import { exportOptionsSchema } from '../../../../src-shared/api/export';
import { exportOptionsFromArgs, splitCoverageLines } from '../../../../src-main/cli/commands/export';

describe('export command options', () => {
  it('passes --min-groups-for-eval beside --min-per-class, and rejects a non-number', () => {
    const options = exportOptionsSchema.parse(exportOptionsFromArgs({ 'min-groups-for-eval': '3', 'min-per-class': '2' }, '/tmp/out'));
    expect(options).toMatchObject({ minGroupsForEval: 3, minPerClass: 2 });
    expect(exportOptionsSchema.parse(exportOptionsFromArgs({}, '/tmp/out')).minGroupsForEval).toBe(1);
    expect(() => exportOptionsFromArgs({ 'min-groups-for-eval': 'many' }, '/tmp/out')).toThrow(
      /--min-groups-for-eval must be a whole number/,
    );
  });

  it('lists train-only classes and classes missing from a split', () => {
    expect(
      splitCoverageLines({
        trainOnlyClasses: [{ taxon: 'Amanita muscaria', groups: 1 }],
        classesNotInEverySplit: [{ taxon: 'Boletus edulis', groups: 2, missing: ['test'] }],
      }),
    ).toEqual([
      'train only (under --min-groups-for-eval): Amanita muscaria (1 groups)',
      '1 classes not in every split (too few groups): Boletus edulis (2; no test)',
    ]);
    expect(splitCoverageLines({ trainOnlyClasses: [], classesNotInEverySplit: [] })).toEqual([]);
  });
});
