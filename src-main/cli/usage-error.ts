// Bad arguments on the command line: the CLI prints the message and the command's usage and exits 2.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A whole number option within [min, max], or undefined when not given; anything else is a UsageError. */
export function integerOption(
  values: Record<string, unknown>,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${name} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, got "${String(raw)}"`,
    );
  return n;
}

/** A number option (fractions allowed) within [min, max], or undefined when not given. */
export function numberOption(values: Record<string, unknown>, name: string, min = -Infinity, max = Infinity): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new UsageError(
      `--${name} must be a number${Number.isFinite(min) ? ` from ${min}` : ''}${Number.isFinite(max) ? ` to ${max}` : ''}, got "${String(raw)}"`,
    );
  return n;
}
