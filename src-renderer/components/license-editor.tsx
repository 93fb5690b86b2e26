// Gives the named images a licence and credit (by hand or from the "my photos" default), with undo: the same
// control serves the Library's bulk bar and an image's Detail view. All rules live in main (licenses.*).
import { useState } from 'react';
import { PICKABLE_LICENSE_IDS } from '../../src-shared/licenses';
import { useApi, useApiMutation } from '../app/api-context';
import { ErrorNote } from './error-note';

export function LicenseEditor({
  imageIds,
  current,
}: {
  imageIds: number[];
  current?: { license: string | null; attribution: string | null };
}) {
  const vocabulary = useApi('licenses.vocabulary', {});
  const setLicense = useApiMutation('licenses.set');
  const undo = useApiMutation('licenses.undo');
  const [license, setLicenseId] = useState<string>(current?.license && current.license !== 'UNKNOWN' ? current.license : 'CC-BY-4.0');
  const [attribution, setAttribution] = useState(current?.attribution ?? '');
  const mine = vocabulary.data?.myPhotos ?? null;
  const options = PICKABLE_LICENSE_IDS.includes(license as (typeof PICKABLE_LICENSE_IDS)[number])
    ? PICKABLE_LICENSE_IDS
    : [license, ...PICKABLE_LICENSE_IDS];
  const result = setLicense.data;
  return (
    <div className="license-editor" role="group" aria-label="Licence">
      <select aria-label="Licence" value={license} onChange={(e) => setLicenseId(e.target.value)}>
        {options.map((id) => (
          <option key={id} value={id}>
            {id}
          </option>
        ))}
      </select>
      <input
        aria-label="Attribution"
        placeholder="Credit (photographer)…"
        value={attribution}
        onChange={(e) => setAttribution(e.target.value)}
      />
      <button
        type="button"
        disabled={setLicense.isPending}
        onClick={() => setLicense.mutate({ imageIds, license, ...(attribution.trim() ? { attribution: attribution.trim() } : {}) })}
      >
        Set licence
      </button>
      {mine ? (
        <button
          type="button"
          title={`${mine.license}, credit ${mine.attribution}`}
          onClick={() => setLicense.mutate({ imageIds, mine: true })}
        >
          My photos ({mine.license})
        </button>
      ) : null}
      <button type="button" onClick={() => undo.mutate({ imageIds })}>
        Undo licence
      </button>
      {result ? (
        <span data-testid="license-result">
          {result.license}: {result.changed} of {result.images} changed
          {result.missingAttribution ? `; ${result.missingAttribution} still need a credit line (left out of exports)` : ''}
        </span>
      ) : null}
      {undo.data ? <span data-testid="license-undone">undid {undo.data.undone}</span> : null}
      <ErrorNote error={setLicense.error ?? undo.error} title="Licence not changed" />
    </div>
  );
}
