// Export: the dataset options as a form, a dry-run plan, and the export job with progress.
import { useState } from 'react';
import { EXPORT_FORMATS, EXPORT_VIEWS, type ExportOptions } from '../../../src-shared/api/export';
import { useApiMutation, useJob, useTransport } from '../../app/api-context';
import { ErrorNote } from '../../components/error-note';
import { JobProgress } from '../../components/job-progress';
import { latestActionError } from '../../components/latest-error';
import { formatsProblem, outDirProblem, splitProblem, splitWarnings, wholeNumberProblem } from './export-checks';

type Form = {
  outDir: string;
  view: (typeof EXPORT_VIEWS)[number];
  formats: (typeof EXPORT_FORMATS)[number][];
  split: string;
  seed: number;
  size: 'original' | 'large' | 'medium';
  licenses: string;
  minPerClass: number;
  minGroupsForEval: number;
  taxonRank: 'species' | 'genus';
  allDuplicates: boolean;
};

export function toExportOptions(form: Form): ExportOptions {
  const split = form.split
    .split(/[/,\s]+/)
    .filter(Boolean)
    .map(Number) as [number, number, number];
  const licenses = form.licenses
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  return {
    outDir: form.outDir.trim(),
    view: form.view,
    formats: form.formats,
    split,
    seed: form.seed,
    size: form.size,
    minPerClass: form.minPerClass,
    minGroupsForEval: form.minGroupsForEval,
    taxonRank: form.taxonRank,
    allDuplicates: form.allDuplicates,
    ...(licenses.length ? { licenses } : {}),
  };
}

/** A count option of the form (1 or more), labelled in words and named for tests and screen readers. */
function CountField(props: { label: string; name: string; value: number; onChange: (value: number) => void }) {
  return (
    <label>
      {props.label}
      <input aria-label={props.name} type="number" min={1} value={props.value} onChange={(e) => props.onChange(Number(e.target.value))} />
    </label>
  );
}

export function ExportView() {
  const [form, setForm] = useState<Form>({
    outDir: '',
    view: 'training_verified',
    formats: ['imagefolder', 'csv'],
    split: '80/10/10',
    seed: 42,
    size: 'original',
    licenses: '',
    minPerClass: 1,
    minGroupsForEval: 1,
    taxonRank: 'species',
    allDuplicates: false,
  });
  const plan = useApiMutation('export.plan', { invalidate: false });
  const start = useApiMutation('export.start');
  const cancel = useApiMutation('jobs.cancel', { invalidate: false });
  const job = useJob(start.data?.jobId ?? null);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const options = toExportOptions(form);
  const { pickFolders } = useTransport();
  const problem =
    outDirProblem(form.outDir) ??
    splitProblem(form.split) ??
    formatsProblem(form.formats) ??
    wholeNumberProblem('The seed', form.seed) ??
    wholeNumberProblem('The minimum images per class', form.minPerClass, 1) ??
    wholeNumberProblem('The minimum groups for val/test', form.minGroupsForEval, 1);
  // The last action's error only: a preview that works after a failed start (or the reverse) clears the old banner.
  const shownError = latestActionError([
    { title: 'Preview failed', error: plan.error, submittedAt: plan.submittedAt },
    { title: 'Export did not start', error: start.error, submittedAt: start.submittedAt },
  ]);
  const [shownProblem, setShownProblem] = useState<string | null>(null);
  // The form says what is wrong in words instead of sending a request the contract would refuse.
  const submit = (run: () => void) => {
    setShownProblem(problem);
    if (!problem) run();
  };
  return (
    <div className="form-view">
      <form
        className="panel form-grid"
        aria-label="Export"
        onSubmit={(e) => {
          e.preventDefault();
          submit(() => start.mutate(options));
        }}
      >
        <h2>Export a training set</h2>
        <label>
          Output folder
          <span className="row">
            <input
              aria-label="Output folder"
              value={form.outDir}
              onChange={(e) => set('outDir', e.target.value)}
              placeholder="/data/fungi-v1 (a full path)"
            />
            {pickFolders ? (
              <button
                type="button"
                onClick={() =>
                  void pickFolders().then((folders) => {
                    if (folders[0]) set('outDir', folders[0]);
                  })
                }
              >
                Choose…
              </button>
            ) : null}
          </span>
        </label>
        <label>
          Images
          <select aria-label="Export view" value={form.view} onChange={(e) => set('view', e.target.value as Form['view'])}>
            {EXPORT_VIEWS.map((v) => (
              <option key={v} value={v}>
                {v
                  .replace('training_', '')
                  .replace('hq', 'HQ only')
                  .replace('general', 'all usable')
                  .replace('verified', 'human-verified only')}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Formats</legend>
          {EXPORT_FORMATS.map((f) => (
            <label key={f} className="inline">
              <input
                type="checkbox"
                checked={form.formats.includes(f)}
                onChange={(e) => set('formats', e.target.checked ? [...form.formats, f] : form.formats.filter((x) => x !== f))}
              />{' '}
              {f}
            </label>
          ))}
        </fieldset>
        <label>
          Split train/val/test
          <input aria-label="Split" value={form.split} onChange={(e) => set('split', e.target.value)} />
        </label>
        <label>
          Seed
          <input aria-label="Seed" type="number" value={form.seed} onChange={(e) => set('seed', Number(e.target.value))} />
        </label>
        <label>
          Image size
          <select aria-label="Image size" value={form.size} onChange={(e) => set('size', e.target.value as Form['size'])}>
            <option value="original">original</option>
            <option value="large">large (1280)</option>
            <option value="medium">medium (640)</option>
          </select>
        </label>
        <label>
          Licences (comma-separated; empty = default allow list)
          <input aria-label="Licences" value={form.licenses} onChange={(e) => set('licenses', e.target.value)} placeholder="CC0, CC-BY" />
        </label>
        <CountField
          label="Minimum images per class"
          name="Minimum per class"
          value={form.minPerClass}
          onChange={(n) => set('minPerClass', n)}
        />
        <CountField
          label="Minimum groups for val/test (smaller classes go to train only)"
          name="Minimum groups for evaluation"
          value={form.minGroupsForEval}
          onChange={(n) => set('minGroupsForEval', n)}
        />
        <label>
          Class rank
          <select aria-label="Class rank" value={form.taxonRank} onChange={(e) => set('taxonRank', e.target.value as Form['taxonRank'])}>
            <option value="species">species</option>
            <option value="genus">genus</option>
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={form.allDuplicates} onChange={(e) => set('allDuplicates', e.target.checked)} /> keep every member
          of duplicate clusters
        </label>
        <div className="row">
          <button type="button" onClick={() => submit(() => plan.mutate(options))}>
            Preview
          </button>
          <button type="submit" className="primary" disabled={start.isPending}>
            Start export
          </button>
        </div>
        {shownProblem && problem ? (
          <div className="error-note" role="alert" data-testid="export-form-problem">
            {problem}
          </div>
        ) : null}
        {shownError ? <ErrorNote error={shownError.error} title={shownError.title} /> : null}
      </form>
      {plan.data ? (
        <section className="panel" aria-label="Export plan">
          <h3>
            {plan.data.images} images in {plan.data.classes} classes
          </h3>
          <p>
            {Object.entries(plan.data.perSplit)
              .map(([k, v]) => `${k} ${v}`)
              .join(' · ')}
          </p>
          {plan.data.emptyReason ? (
            <p className="error-note" data-testid="export-empty-reason">
              Nothing to export: {plan.data.emptyReason}
            </p>
          ) : null}
          {plan.data.leftOut.length === 0 ? (
            <p>Left out: nothing ({plan.data.catalogued} catalogued).</p>
          ) : (
            <ul data-testid="export-left-out" aria-label="Left out">
              {plan.data.leftOut.map((r) => (
                <li key={r.rule}>{r.hint}</li>
              ))}
            </ul>
          )}
          {splitWarnings(plan.data).map((w) => (
            <div key={w} className="warning-note" role="alert">
              {w}
            </div>
          ))}
          {plan.data.trainOnlyClasses.length ? (
            <p aria-label="Train-only classes">
              train only (fewer groups than the minimum for val/test): {plan.data.trainOnlyClasses.map((c) => c.taxon).join(', ')}
            </p>
          ) : null}
          {plan.data.classesNotInEverySplit.length ? (
            <details aria-label="Classes not in every split">
              <summary>{plan.data.classesNotInEverySplit.length} classes have too few groups to appear in every split</summary>
              <ul>
                {plan.data.classesNotInEverySplit.map((c) => (
                  <li key={c.taxon}>
                    {c.taxon}: {c.groups} group{c.groups === 1 ? '' : 's'}, none in {c.missing.join(', ')}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </section>
      ) : null}
      {job.data ? <JobProgress job={job.data} onCancel={() => cancel.mutate({ id: job.data!.id })} /> : null}
    </div>
  );
}
