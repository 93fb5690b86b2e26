// A finished job's outcome in words: an ingest's counts as the sentences a curator reads, other jobs' fields spelled out.
import type { ErrorCode, Job } from '../../src-shared/model';

/** Why files were rejected, as a reason reads in a list ("3 not an image"). */
const REASONS: Partial<Record<ErrorCode, string>> = {
  UNSUPPORTED_FORMAT: 'not an image Sporeprint reads',
  CORRUPT_IMAGE: 'corrupt or truncated',
  EMPTY_FILE: 'empty',
  TOO_SMALL: 'too small',
  FILE_TOO_LARGE: 'too large',
  TOO_MANY_PIXELS: 'too many pixels',
  EXTREME_ASPECT_RATIO: 'too long and thin',
  UNREADABLE: 'unreadable',
  IO_FAILED: 'a read error',
  DISK_FULL: 'the library disk full',
};

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "(2 not an image Sporeprint reads, 1 empty)" from { UNSUPPORTED_FORMAT: 2, EMPTY_FILE: 1 }, or "". */
function reasons(byReason: unknown): string {
  if (!byReason || typeof byReason !== 'object') return '';
  const parts = Object.entries(byReason as Record<string, unknown>)
    .filter(([, n]) => count(n) > 0)
    .map(([code, n]) => `${count(n)} ${REASONS[code as ErrorCode] ?? code.toLowerCase().replace(/_/g, ' ')}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** An ingest's result as sentences; counts of zero are left out, except the photos added. */
export function ingestResultWords(result: Record<string, unknown>): string[] {
  const n = (key: string) => count(result[key]);
  const lines = [`${plural(n('added'), 'new photo')} added from ${plural(n('scanned'), 'file')} looked at`];
  if (n('copies')) lines.push(`${plural(n('copies'), 'copy', 'copies')} of photos already in the library: their new place recorded`);
  if (n('unchanged'))
    lines.push(
      `${n('unchanged')} unchanged since the last import` +
        (n('previouslyRejected') ? `, ${n('previouslyRejected')} of them rejected before and not tried again` : ''),
    );
  if (n('rejected'))
    lines.push(`${plural(n('rejected'), 'file')} rejected${reasons(result.rejectedByReason)}: listed below with the reason`);
  if (n('failed'))
    lines.push(`${plural(n('failed'), 'file')} could not be finished${reasons(result.failedByReason)}: tried again next time`);
  if (n('skipped')) lines.push(`${plural(n('skipped'), 'path')} skipped (unreadable folder, broken link or vanished file)`);
  if (n('sidecars')) lines.push(`${plural(n('sidecars'), 'sidecar file')} read`);
  if (n('claimsUpdated')) lines.push(`${plural(n('claimsUpdated'), 'photo')} given a new label or licence from a sidecar`);
  if (n('licensed')) lines.push(`${plural(n('licensed'), 'photo')} without a licence given the one you chose`);
  if (n('derivativesRebuilt')) lines.push(`${plural(n('derivativesRebuilt'), 'missing preview')} rebuilt`);
  if (n('derivativesUnrecoverable'))
    lines.push(`${plural(n('derivativesUnrecoverable'), 'photo')} with missing previews and no original left to rebuild them from`);
  return lines;
}

/** "imagesWritten" -> "images written". */
function spelled(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * Any job's result as lines of words: an ingest's sentences, another kind's number and text fields spelled out,
 * and for an export what it left out, rule by rule with what to do (the same list the preview shows).
 */
export function jobResultWords(job: Pick<Job, 'kind' | 'result'>): string[] {
  if (!job.result) return [];
  if (job.kind === 'ingest') return ingestResultWords(job.result);
  const lines = Object.entries(job.result)
    .filter(([k, v]) => (typeof v === 'number' || typeof v === 'string') && k !== 'emptyReason')
    .map(([k, v]) => `${spelled(k)}: ${String(v)}`);
  if (job.kind === 'export') lines.push(...exportLeftOutWords(job.result));
  return lines;
}

function exportLeftOutWords(result: Record<string, unknown>): string[] {
  const lines: string[] = [];
  if (typeof result.emptyReason === 'string') lines.push(`Nothing exported: ${result.emptyReason}`);
  if (!Array.isArray(result.leftOut)) return lines;
  const rules = (result.leftOut as unknown[]).filter(
    (r): r is { rule: string; images: number; hint: string } =>
      !!r &&
      typeof r === 'object' &&
      typeof (r as { hint?: unknown }).hint === 'string' &&
      typeof (r as { images?: unknown }).images === 'number',
  );
  if (rules.length === 0) lines.push('left out: nothing');
  for (const r of rules) lines.push(`left out, ${r.rule.replace(/_/g, ' ')}: ${r.hint}`);
  return lines;
}
