// The licences present in the catalogue with their image counts: the choices of the library's licence filter.
import * as z from 'zod';
import type { LicenseCounts } from '../../../src-shared/api/catalog';
import type { Db } from './database';
import { parseRows } from './parse-rows';
import { untilCatalogueChanges } from './version-cache';

const countRow = z.object({ license: z.string().nullable(), images: z.number().int() });

export function countLicenses(db: Db): LicenseCounts {
  // One scan per catalogue version: the filter bar asks on every grid refresh, the catalogue changes far less often.
  return untilCatalogueChanges(db, 'license counts', () => {
    const rows = parseRows(
      countRow,
      db.prepare(`SELECT license, count(*) AS images FROM image GROUP BY license ORDER BY images DESC, license`).all(),
      'licence count',
    );
    return {
      licenses: rows.flatMap((r) => (r.license === null ? [] : [{ license: r.license, images: r.images }])),
      missing: rows.find((r) => r.license === null)?.images ?? 0,
    };
  });
}
