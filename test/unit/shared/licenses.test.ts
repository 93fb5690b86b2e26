// Licence normalisation: URLs and names from every source map to one id; unknowns stay unknown.
import { describe, expect, it } from 'vitest';
import { isLicenseAllowed, licenseFamilyOf, normalizeLicense } from '../../../src-shared/licenses';
import { DEFAULT_LICENSE_ALLOW_LIST } from '../../../src-shared/defaults';

describe('normalizeLicense', () => {
  it.each([
    ['http://creativecommons.org/licenses/by-sa/3.0/', 'CC-BY-SA-3.0', 'CC-BY-SA'],
    ['https://creativecommons.org/licenses/by/4.0/deed.en', 'CC-BY-4.0', 'CC-BY'],
    ['https://creativecommons.org/licenses/by-nc-sa/3.0/', 'CC-BY-NC-SA-3.0', 'CC-BY-NC-SA'],
    ['CC BY-NC 4.0', 'CC-BY-NC-4.0', 'CC-BY-NC'],
    ['cc-by-nd', 'CC-BY-ND', 'CC-BY-ND'],
    ['CC BY-SA 3.0', 'CC-BY-SA-3.0', 'CC-BY-SA'],
    ['https://creativecommons.org/publicdomain/zero/1.0/', 'CC0-1.0', 'CC0'],
    ['cc0', 'CC0-1.0', 'CC0'],
    ['Public Domain', 'PD', 'PD'],
    ['https://creativecommons.org/publicdomain/mark/1.0/', 'PD', 'PD'],
    ['Creative Commons Attribution-ShareAlike 4.0', 'CC-BY-SA-4.0', 'CC-BY-SA'],
    ['All rights reserved', 'ARR', 'ARR'],
  ])('%s -> %s', (raw, id, family) => {
    const license = normalizeLicense(raw);
    expect(license.id).toBe(id);
    expect(license.family).toBe(family);
    expect(licenseFamilyOf(license.id)).toBe(family);
  });

  it('never guesses: empty and unrecognised text is UNKNOWN', () => {
    for (const raw of [null, undefined, '', '   ', 'see website', 'GPL'])
      expect(normalizeLicense(raw)).toEqual({ id: 'UNKNOWN', family: 'UNKNOWN', requiresAttribution: false });
  });

  it('knows which licences require attribution', () => {
    expect(normalizeLicense('CC BY 4.0').requiresAttribution).toBe(true);
    expect(normalizeLicense('CC0').requiresAttribution).toBe(false);
  });

  it('allows CC0, PD, CC BY and CC BY-SA by default and refuses NC, ND and unknown', () => {
    const allowed = (raw: string) => isLicenseAllowed(normalizeLicense(raw).id, DEFAULT_LICENSE_ALLOW_LIST);
    expect(['cc0', 'public domain', 'CC BY 4.0', 'CC BY-SA 3.0'].map(allowed)).toEqual([true, true, true, true]);
    expect(['CC BY-NC 4.0', 'CC BY-ND 4.0', 'CC BY-NC-SA 3.0', 'unknown', 'All rights reserved'].map(allowed)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isLicenseAllowed('CC-BY-4.0', ['CC-BY-4.0'])).toBe(true);
    expect(isLicenseAllowed('CC-BY-3.0', ['CC-BY-4.0'])).toBe(false);
  });
});
