// A bulk labelling report in words: "3 verified, 1 already human verified left as is".
import type { ApplyReport } from '../../../src-shared/api/labels';

export function describeApplyReport(report: ApplyReport, state: 'human_verified' | 'disputed'): string {
  const done = `${report.applied.length} ${state === 'human_verified' ? 'verified' : 'disputed'}`;
  if (report.skipped.length === 0) return done;
  const groups = new Map<string, number>();
  for (const s of report.skipped) {
    const what = s.state ? `already ${s.state.replace(/_/g, ' ')}` : 'unlabelled (needs a taxon)';
    groups.set(what, (groups.get(what) ?? 0) + 1);
  }
  return `${done}, ${[...groups].map(([what, n]) => `${n} ${what}`).join(', ')} left as is`;
}
