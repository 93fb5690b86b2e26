// What the Export form says before anything is sent: folder, split, formats and numbers in words; a plan's thin splits.
import { isAbsolutePath, type ExportPlan } from '../../../src-shared/api/export';

/** Why this output folder cannot be used, or null. */
export function outDirProblem(outDir: string): string | null {
  const dir = outDir.trim();
  if (!dir) return 'Choose an output folder.';
  if (!isAbsolutePath(dir))
    return `"${dir}" is a relative path: give the full path of the folder (e.g. /home/me/datasets/fungi), or it would be written into the server's working folder.`;
  return null;
}

/** Why this split cannot be used, or null. */
export function splitProblem(split: string): string | null {
  const parts = split.split(/[/,\s]+/).filter(Boolean);
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(Number(p)) || Number(p) < 0))
    return 'The split needs three numbers, e.g. 80/10/10 (train/validation/test).';
  const sum = parts.reduce((n, p) => n + Number(p), 0);
  if (Math.abs(sum - 100) > 1e-9) return `The split must add up to 100, e.g. 80/10/10 (these add up to ${sum}).`;
  return null;
}

/** Why this choice of formats cannot be used, or null. */
export function formatsProblem(formats: readonly string[]): string | null {
  return formats.length ? null : 'Choose at least one format to write (e.g. imagefolder and csv).';
}

/** Why a number field cannot be used (`what` names it in the sentence), or null. */
export function wholeNumberProblem(what: string, value: number, min?: number): string | null {
  if (!Number.isInteger(value)) return `${what} must be a whole number (e.g. ${min ?? 42}).`;
  if (min !== undefined && value < min) return `${what} must be at least ${min}.`;
  return null;
}

/** A warning for each split that would be empty or hold under 5 % of the images. */
export function splitWarnings(plan: Pick<ExportPlan, 'images' | 'perSplit'>): string[] {
  if (plan.images === 0) return ['No image passes these options: nothing would be exported.'];
  const out: string[] = [];
  for (const [name, count] of Object.entries(plan.perSplit)) {
    if (count === 0) out.push(`The ${name} split would be empty.`);
    else if (count / plan.images < 0.05) out.push(`The ${name} split would hold only ${count} of ${plan.images} images (under 5 %).`);
  }
  return out;
}
