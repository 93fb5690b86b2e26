// The one licence vocabulary: SPDX-like ids (CC0-1.0, CC-BY-4.0, CC-BY-SA-3.0, CC-BY-NC-4.0, PD, ARR, UNKNOWN) and a
// normaliser that reads every spelling users and sources send (free text, deed URLs, GBIF enum codes like
// CC_BY_4_0, iNaturalist codes like cc-by-nc, Commons short names like "CC BY-SA 3.0"). Unknown stays unknown.

/** Licence families; the allow-list and attribution rules work on families, ids keep the version. */
export const LICENSE_FAMILIES = [
  'CC0',
  'PD',
  'CC-BY',
  'CC-BY-SA',
  'CC-BY-NC',
  'CC-BY-NC-SA',
  'CC-BY-ND',
  'CC-BY-NC-ND',
  'ARR',
  'UNKNOWN',
] as const;
export type LicenseFamily = (typeof LICENSE_FAMILIES)[number];

/** Creative Commons versions an id may carry (CC-BY-4.0); a family without a version is also an id (CC-BY). */
export const CC_VERSIONS = ['1.0', '2.0', '2.5', '3.0', '4.0'] as const;

/** One line per family for help texts and the UI's licence picker. */
export const LICENSE_DESCRIPTIONS: Record<LicenseFamily, string> = {
  CC0: 'CC0-1.0: public domain dedication, no attribution required',
  PD: 'PD: public domain (no known copyright)',
  'CC-BY': 'CC-BY-4.0 (or -3.0, -2.0 ...): reuse with attribution',
  'CC-BY-SA': 'CC-BY-SA-4.0: reuse with attribution, share alike',
  'CC-BY-NC': 'CC-BY-NC-4.0: non-commercial reuse with attribution',
  'CC-BY-NC-SA': 'CC-BY-NC-SA-4.0: non-commercial, share alike, attribution',
  'CC-BY-ND': 'CC-BY-ND-4.0: no derivatives, attribution',
  'CC-BY-NC-ND': 'CC-BY-NC-ND-4.0: non-commercial, no derivatives, attribution',
  ARR: 'ARR: all rights reserved',
  UNKNOWN: 'UNKNOWN: no licence known (never exported)',
};

/** The ids offered when a person picks a licence (the UI's list; any other spelling is normalised first). */
export const PICKABLE_LICENSE_IDS = [
  'CC0-1.0',
  'PD',
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'CC-BY-NC-4.0',
  'CC-BY-NC-SA-4.0',
  'CC-BY-ND-4.0',
  'CC-BY-NC-ND-4.0',
  'ARR',
] as const;

export interface NormalizedLicense {
  /** e.g. CC-BY-SA-3.0, CC0-1.0, PD, ARR, UNKNOWN */
  id: string;
  family: LicenseFamily;
  /** Whether redistribution must name the author (every licence except CC0 and public domain). */
  requiresAttribution: boolean;
}

const UNKNOWN: NormalizedLicense = { id: 'UNKNOWN', family: 'UNKNOWN', requiresAttribution: false };

/**
 * Parses a licence id, URL, code or name; anything not recognised is UNKNOWN, never guessed. Idempotent: a
 * normalised id normalises to itself.
 */
export function normalizeLicense(raw: string | null | undefined): NormalizedLicense {
  if (!raw) return UNKNOWN;
  // GBIF's enum writes versions with underscores (CC_BY_NC_4_0): make them the dotted, dashed form first.
  const text = raw
    .trim()
    .toLowerCase()
    .replace(/(\d)_(\d)(?!\d)/g, '$1.$2')
    .replace(/_/g, '-');
  if (!text || text === 'unknown') return UNKNOWN;
  if (/publicdomain\/zero|\bcc0\b|cc-zero|^cc-?0(?:-1\.0)?$/.test(text))
    return { id: 'CC0-1.0', family: 'CC0', requiresAttribution: false };
  if (/public ?domain|publicdomain\/mark|\bpdm\b|^(?:cc-)?pd(?:-[a-z0-9-]+)?$|no known copyright/.test(text))
    return { id: 'PD', family: 'PD', requiresAttribution: false };
  // A Commons template allowing any use: not all rights reserved, and not a licence of the vocabulary either.
  if (/copyrighted free use/.test(text)) return UNKNOWN;

  const url = /creativecommons\.org\/licenses\/([a-z-]+)\/(\d\.\d)/.exec(text);
  let parts: string[] | null = null;
  let version: string | undefined;
  if (url) {
    parts = url[1]!.split('-');
    version = url[2];
  } else {
    const named = /(?:^|[^a-z])(?:cc[\s-]*)?(by(?:[\s-]*(?:nc|sa|nd))*)(?:[\s-]*(\d\.\d))?(?![a-z])/.exec(text);
    if (named && /\bcc\b|^by|cc[\s-]*by|creative ?commons/.test(text)) {
      // "ncsa" holds two elements: read the elements, not the separators.
      parts = named[1]!.match(/by|nc|sa|nd/g) ?? [];
      version = named[2];
      // An element the vocabulary does not know right after the ones it does (CC-BY-MC-4.0, a typo of NC) makes
      // the licence unreadable: reading it as plain CC-BY would make it more permissive than it is.
      const rest = text.slice(named.index + named[0].length);
      if (!version && /^(?:-[a-z]|[\s-]+[a-z]{1,3}(?![a-z]))/.test(rest) && !/^[\s-]+(?:and|or|de|fr|it|es|nl|at|us|uk|igo)\b/.test(rest))
        parts = null;
    } else if (/creative ?commons|attribution/.test(text)) {
      parts = /attribution/.test(text) ? ['by'] : null;
      if (parts && /non-?commercial/.test(text)) parts.push('nc');
      if (parts && /no ?deriv/.test(text)) parts.push('nd');
      if (parts && /share ?-?alike/.test(text)) parts.push('sa');
      version = /(\d\.\d)/.exec(text)?.[1];
    }
  }
  // A copyright line is all rights reserved only when no open licence follows it: iNaturalist writes
  // "(c) Name, some rights reserved (CC BY-NC)", where the licence is the part in brackets.
  if (!parts || parts[0] !== 'by')
    return /all rights reserved|^\(c\)|^©|^copyright|^arr$/.test(text) ? { id: 'ARR', family: 'ARR', requiresAttribution: true } : UNKNOWN;
  const has = (p: string) => parts!.includes(p);
  const family = ['CC-BY', has('nc') ? 'NC' : '', has('nd') ? 'ND' : '', has('sa') ? 'SA' : ''].filter(Boolean).join('-') as LicenseFamily;
  if (!LICENSE_FAMILIES.includes(family)) return UNKNOWN;
  const knownVersion = version && (CC_VERSIONS as readonly string[]).includes(version) ? version : undefined;
  return { id: knownVersion ? `${family}-${knownVersion}` : family, family, requiresAttribution: true };
}

/** Family of an already normalised id (CC-BY-SA-3.0 -> CC-BY-SA). */
export function licenseFamilyOf(id: string | null | undefined): LicenseFamily {
  if (!id) return 'UNKNOWN';
  const family = id.replace(/-\d\.\d$/, '');
  if (family === 'CC0') return 'CC0';
  return (LICENSE_FAMILIES as readonly string[]).includes(family) ? (family as LicenseFamily) : 'UNKNOWN';
}

/** Whether a licence is unknown (missing or not recognised): such an image never passes an allow-list. */
export function isLicenseUnknown(id: string | null | undefined): boolean {
  return licenseFamilyOf(id) === 'UNKNOWN';
}

/** Whether a licence id is in an allow-list of families or exact ids. An unknown licence never is. */
export function isLicenseAllowed(id: string | null | undefined, allowList: readonly string[]): boolean {
  const family = licenseFamilyOf(id);
  if (family === 'UNKNOWN') return false;
  return allowList.some((allowed) => allowed === family || allowed === id);
}

/** Every licence except CC0 and public domain obliges whoever redistributes to name the author. */
export function licenseRequiresAttribution(id: string | null | undefined): boolean {
  const family = licenseFamilyOf(id);
  return family !== 'CC0' && family !== 'PD';
}
