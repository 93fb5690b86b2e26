// The genus of a name and whether an edit moves a photo to another genus than its claim: a new genus is a bigger
// claim than a new epithet, so the editor warns before it is saved.

/** Genus of a binomial: the coarser rank G verifies at. */
export function coarserTaxon(taxon: string): string {
  return taxon.trim().split(/\s+/)[0] ?? taxon;
}

/** A sentence when `edited` names another genus than `claimed`; null when they agree or either is empty. */
export function genusChangeWarning(claimed: string | null, edited: string): string | null {
  if (!claimed?.trim() || !edited.trim()) return null;
  const before = coarserTaxon(claimed);
  const after = coarserTaxon(edited);
  if (before.toLowerCase() === after.toLowerCase()) return null;
  return `Genus differs from the claim: ${after} here, ${before} claimed (${claimed})`;
}
