// Decides which hash-near pairs of exported rows are leaks: those clustering would confirm. A row pair counts
// when the duplicates domain's confirmation accepts it (content check, or the DCT rule where a rendition is
// missing) and the curator has not marked it "not a duplicate". Counting hash-only pairs moved rows for chance
// collisions between different photographs: 437k such pairs in a 100k-row catalogue of real fingerprints.
import type { Db } from '../catalog/database';
import { CandidateConfirmer } from '../duplicates/confirm-candidates';
import { readDecisions, readFingerprint } from '../duplicates/duplicate-store';
import type { Fingerprint } from '../imaging/fingerprint';
import type { LeakConfirmer } from './leakage-report';
import type { SelectedRow } from './select-images';

/**
 * The confirmer of `rows` (row indices in, a < b). Each pair is judged once and remembered, since the repair
 * rounds and the final report meet the same pairs again. A row whose image has no current fingerprint has only
 * its perceptual hash to go on: a near pair involving it still counts, as nothing can clear it.
 */
export function leakConfirmer(db: Db, rows: readonly SelectedRow[], threshold: number): NonNullable<LeakConfirmer> {
  const confirmer = new CandidateConfirmer(db, threshold);
  const notDuplicate = new Set(readDecisions(db).notDuplicate.map(([a, b]) => pairKey(a, b)));
  const fingerprints = new Map<number, Fingerprint | null>();
  const fingerprintOf = (imageId: number) => {
    let fp = fingerprints.get(imageId);
    if (fp === undefined) {
      fp = readFingerprint(db, imageId);
      fingerprints.set(imageId, fp);
    }
    return fp;
  };
  const verdicts = new Map<string, boolean>();
  return (a, b) => {
    const idA = rows[a]!.imageId;
    const idB = rows[b]!.imageId;
    const key = pairKey(idA, idB);
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      const fa = fingerprintOf(idA);
      const fb = fingerprintOf(idB);
      verdict = notDuplicate.has(key) ? false : !fa || !fb ? true : confirmer.confirm(idA, fa, idB, fb) !== null;
      verdicts.set(key, verdict);
    }
    return verdict;
  };
}

function pairKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}
