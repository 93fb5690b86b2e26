// Normalises the many ways sources write a licence (URLs, "CC BY-SA 3.0", "cc-by-nc") into one id.

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

export interface NormalizedLicense {
  /** e.g. CC-BY-SA-3.0, CC0-1.0, PD, ARR, UNKNOWN */
  id: string;
  family: LicenseFamily;
  /** Whether redistribution must name the author (every CC licence except CC0). */
  requiresAttribution: boolean;
}

const UNKNOWN: NormalizedLicense = { id: 'UNKNOWN', family: 'UNKNOWN', requiresAttribution: false };

/** Parses a licence URL or name; anything not recognised is UNKNOWN, never guessed. */
export function normalizeLicense(raw: string | null | undefined): NormalizedLicense {
  if (!raw) return UNKNOWN;
  const text = raw.trim().toLowerCase();
  if (!text) return UNKNOWN;
  if (/publicdomain\/zero|\bcc0\b|cc-zero/.test(text)) return { id: 'CC0-1.0', family: 'CC0', requiresAttribution: false };
  if (/public ?domain|publicdomain\/mark|\bpdm\b|^pd$|no known copyright/.test(text))
    return { id: 'PD', family: 'PD', requiresAttribution: false };
  if (/all rights reserved|^\(c\)|^copyright|^arr$/.test(text)) return { id: 'ARR', family: 'ARR', requiresAttribution: true };

  const url = /creativecommons\.org\/licenses\/([a-z-]+)\/(\d\.\d)/.exec(text);
  let parts: string[] | null = null;
  let version: string | undefined;
  if (url) {
    parts = url[1]!.split('-');
    version = url[2];
  } else {
    const named = /\b(?:cc[\s_-]*)?(by(?:[\s_-]*(?:nc|sa|nd))*)(?:[\s_-]*(\d\.\d))?\b/.exec(text);
    if (named && /\bcc\b|^by|cc[\s_-]*by|creative ?commons|attribution/.test(text)) {
      parts = named[1]!.split(/[\s_-]+/).filter(Boolean);
      version = named[2];
    } else if (/creative ?commons attribution/.test(text)) {
      parts = ['by'];
      if (/share ?alike/.test(text)) parts.push('sa');
      if (/non-?commercial/.test(text)) parts.splice(1, 0, 'nc');
      if (/no ?deriv/.test(text)) parts.push('nd');
      version = /(\d\.\d)/.exec(text)?.[1];
    }
  }
  if (!parts || parts[0] !== 'by') return UNKNOWN;
  const has = (p: string) => parts!.includes(p);
  const family = ['CC-BY', has('nc') ? 'NC' : '', has('nd') ? 'ND' : '', has('sa') ? 'SA' : ''].filter(Boolean).join('-') as LicenseFamily;
  if (!LICENSE_FAMILIES.includes(family)) return UNKNOWN;
  return { id: version ? `${family}-${version}` : family, family, requiresAttribution: true };
}

/** Family of an already normalised id (CC-BY-SA-3.0 -> CC-BY-SA). */
export function licenseFamilyOf(id: string | null | undefined): LicenseFamily {
  if (!id) return 'UNKNOWN';
  const family = id.replace(/-\d\.\d$/, '').replace(/^CC0$/, 'CC0');
  if (family === 'CC0-1.0' || family === 'CC0') return 'CC0';
  return (LICENSE_FAMILIES as readonly string[]).includes(family) ? (family as LicenseFamily) : 'UNKNOWN';
}

/** Whether a licence id is in an allow-list of families or exact ids. */
export function isLicenseAllowed(id: string | null | undefined, allowList: readonly string[]): boolean {
  const family = licenseFamilyOf(id);
  return allowList.some((allowed) => allowed === family || allowed === id);
}
