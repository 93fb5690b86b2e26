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

describe('normalizeLicense: every spelling sources send', () => {
  it.each([
    // GBIF enum codes (occurrence API and Darwin Core Archives)
    ['CC_BY_4_0', 'CC-BY-4.0'],
    ['CC_BY_NC_4_0', 'CC-BY-NC-4.0'],
    ['CC0_1_0', 'CC0-1.0'],
    ['CC_BY_SA_3_0', 'CC-BY-SA-3.0'],
    // iNaturalist license_code values
    ['cc-by', 'CC-BY'],
    ['cc-by-nc', 'CC-BY-NC'],
    ['cc-by-nc-sa', 'CC-BY-NC-SA'],
    ['cc-by-nc-nd', 'CC-BY-NC-ND'],
    ['cc0', 'CC0-1.0'],
    // Commons LicenseShortName values
    ['CC BY-SA 4.0', 'CC-BY-SA-4.0'],
    ['CC BY 2.0', 'CC-BY-2.0'],
    ['CC BY-SA 3.0 de', 'CC-BY-SA-3.0'],
    ['CC-BY-SA-3.0,2.5,2.0,1.0', 'CC-BY-SA-3.0'],
    ['Public domain', 'PD'],
    // SPDX ids and deed URLs with a language or legal code
    ['CC-BY-NC-4.0', 'CC-BY-NC-4.0'],
    ['http://creativecommons.org/licenses/by-nc/4.0/legalcode', 'CC-BY-NC-4.0'],
    ['https://creativecommons.org/licenses/by/2.0/deed.de', 'CC-BY-2.0'],
    ['Creative Commons Attribution-NonCommercial 4.0 International', 'CC-BY-NC-4.0'],
  ])('%s -> %s', (raw, id) => {
    expect(normalizeLicense(raw).id).toBe(id);
  });

  it.each([
    // iNaturalist attribution lines pasted into a licence field or a Darwin Core `rights` column: the licence
    // in brackets is the licence, the "(c)" before it is not "all rights reserved".
    ['(c) Jane Doe, some rights reserved (CC BY-NC)', 'CC-BY-NC'],
    ['(c) Jane Doe, some rights reserved (CC BY)', 'CC-BY'],
    ['(c) Jane Doe, no rights reserved (CC0)', 'CC0-1.0'],
    ['© Jane Doe, CC BY 4.0', 'CC-BY-4.0'],
    ['Copyright 2020 Jane Doe, licensed under CC BY-SA 3.0', 'CC-BY-SA-3.0'],
    ['(c) Jane Doe, all rights reserved', 'ARR'],
    ['© Jane Doe', 'ARR'],
    // Commons template names for the public domain
    ['PD-old-70', 'PD'],
    ['PD-US-expired', 'PD'],
    ['CC-PD-Mark', 'PD'],
    // Elements written together are still each read
    ['CC BY-NCSA 4.0', 'CC-BY-NC-SA-4.0'],
  ])('%s -> %s', (raw, id) => {
    expect(normalizeLicense(raw).id).toBe(id);
  });

  it('never guesses: look-alikes and other licences stay UNKNOWN', () => {
    // "Copyrighted free use" is a Commons template that allows any use: neither ARR nor a vocabulary licence.
    for (const raw of [
      'GFDL',
      'maybe',
      'nearby',
      'UNKNOWN',
      'CC_UNKNOWN',
      'licence: ask me',
      'Copyrighted free use',
      'some rights reserved',
    ])
      expect(normalizeLicense(raw).id, raw).toBe('UNKNOWN');
  });

  it('never reads a typo in a licence element as a more permissive licence', () => {
    // Taking these as plain CC-BY would export photos whose licence may forbid it.
    for (const raw of ['CC-BY-MC-4.0', 'CC-BY-NV-4.0', 'CC BY-N-C 4.0', 'cc-by-foo', 'CC-BY-XYZ'])
      expect(normalizeLicense(raw).id, raw).toBe('UNKNOWN');
  });

  it('is idempotent on every id it produces', () => {
    const ids = [
      'CC0-1.0',
      'PD',
      'ARR',
      'UNKNOWN',
      'CC-BY',
      'CC-BY-4.0',
      'CC-BY-SA-3.0',
      'CC-BY-NC-SA-2.5',
      'CC-BY-NC-ND-4.0',
      'CC-BY-ND-1.0',
    ];
    for (const id of ids) expect(normalizeLicense(id).id).toBe(id);
  });

  it('an unknown licence passes no allow-list, not even one that names it', () => {
    expect(isLicenseAllowed('UNKNOWN', ['UNKNOWN', 'CC-BY'])).toBe(false);
    expect(isLicenseAllowed(null, ['UNKNOWN'])).toBe(false);
  });
});
