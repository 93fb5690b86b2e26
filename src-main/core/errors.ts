// Domain errors: a code from the shared list plus the path they concern; glue turns them into words.
import type { ApiErrorPayload } from '../../src-shared/api';
import type { ErrorCode } from '../../src-shared/model';

export class SporeprintError extends Error {
  /** The message without the path, e.g. "file is empty". */
  readonly reason: string;

  constructor(
    readonly code: ErrorCode,
    reason: string,
    readonly path?: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = 'SporeprintError';
    this.reason = reason;
  }

  /** The error as it crosses a transport, capped in size: a 60 MB parameter is never echoed back whole. */
  toPayload(): ApiErrorPayload {
    return {
      code: this.code,
      message: capText(this.message, MAX_MESSAGE_CHARS),
      reason: capText(this.reason, MAX_MESSAGE_CHARS),
      ...(this.path ? { path: capText(this.path, MAX_MESSAGE_CHARS) } : {}),
      ...(this.issues ? { issues: capIssues(this.issues) } : {}),
    };
  }

  /** Rebuilds an error that crossed a thread or process boundary. */
  static fromPayload(payload: ApiErrorPayload): SporeprintError {
    return new SporeprintError(payload.code, payload.reason ?? payload.message, payload.path, payload.issues);
  }
}

/** Any thrown value as a transport payload; unexpected errors keep their message under INTERNAL. */
export function toErrorPayload(err: unknown): ApiErrorPayload {
  if (err instanceof SporeprintError) return err.toPayload();
  const message = capText(err instanceof Error ? err.message : String(err), MAX_MESSAGE_CHARS);
  return { code: 'INTERNAL', message, reason: message };
}

/** Longest message, reason or path a payload carries; longer ones keep their start and say how much was cut. */
export const MAX_MESSAGE_CHARS = 2000;
const MAX_ISSUES = 20;
const MAX_ISSUE_CHARS = 300;

export function capText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters)`;
}

function capIssues(issues: { path: string; message: string }[]): { path: string; message: string }[] {
  const kept = issues
    .slice(0, MAX_ISSUES)
    .map((i) => ({ path: capText(i.path, MAX_ISSUE_CHARS), message: capText(i.message, MAX_ISSUE_CHARS) }));
  if (issues.length > MAX_ISSUES) kept.push({ path: '', message: `... and ${issues.length - MAX_ISSUES} more issues` });
  return kept;
}
