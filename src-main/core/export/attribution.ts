// ATTRIBUTION.md and ATTRIBUTION.csv: every exported image's photographer, licence and source.
import { licenseFamilyOf } from '../../../src-shared/licenses';
import { csvField, type ManifestEntry } from './manifest';
import { SporeprintError } from '../errors';
import { licenseRequiresAttribution } from './select-images';

/** The deed URL of a normalised licence id; empty when the id has no version to point at. */
export function licenseUrl(id: string): string {
  const family = licenseFamilyOf(id);
  if (family === 'CC0') return 'https://creativecommons.org/publicdomain/zero/1.0/';
  if (family === 'PD') return 'https://creativecommons.org/publicdomain/mark/1.0/';
  const version = /-(\d\.\d)$/.exec(id)?.[1];
  if (!family.startsWith('CC-BY') || !version) return '';
  return `https://creativecommons.org/licenses/${family.slice(3).toLowerCase()}/${version}/`;
}

/** Fails rather than write a credits file that omits an author a licence says must be named. */
export function assertAttributionComplete(entries: readonly ManifestEntry[]): void {
  const missing = entries.filter((e) => licenseRequiresAttribution(e.license) && !e.attribution?.trim());
  if (missing.length > 0) {
    throw new SporeprintError(
      'EXPORT_FAILED',
      `${missing.length} image(s) under ${missing[0]!.license} have no attribution (first: ${missing[0]!.sourceSha256})`,
      missing[0]!.file,
    );
  }
}

export function* attributionCsvLines(entries: readonly ManifestEntry[]): Generator<string> {
  yield 'file,taxon,attribution,license,license_url,source_url\n';
  for (const e of entries)
    yield `${[e.file, e.taxon, e.attribution, e.license, licenseUrl(e.license), e.sourceUrl].map(csvField).join(',')}\n`;
}

const cell = (text: string | null) =>
  (text ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');

export function* attributionMarkdownLines(entries: readonly ManifestEntry[]): Generator<string> {
  const header = [
    '# Attribution',
    '',
    'Photographs in this dataset, their authors, licences and sources. Licences that require attribution',
    '(every Creative Commons licence except CC0) require that you keep these credits with any redistribution.',
    '',
    '| File | Taxon | Photographer | Licence | Source |',
    '| --- | --- | --- | --- | --- |',
  ];
  yield `${header.join('\n')}\n`;
  for (const e of entries) {
    const url = licenseUrl(e.license);
    const licence = url ? `[${e.license}](${url})` : e.license;
    yield `| ${cell(e.file)} | ${cell(e.taxon)} | ${cell(e.attribution) || '(not required)'} | ${licence} | ${cell(e.sourceUrl) || '-'} |\n`;
  }
}
