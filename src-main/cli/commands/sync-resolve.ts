// `sporeprint sync resolve IMAGE --field F (--take CLAIMANT | --value V)`: settles a conflict between claims on the server.
import { CLAIM_FIELDS } from '../../../src-shared/api/sync';
import type { Library } from '../../core/library';
import type { CommandIo, ParsedArgs } from '../command';
import { UsageError } from '../usage-error';

type ClaimField = (typeof CLAIM_FIELDS)[number];
const isField = (f: string): f is ClaimField => (CLAIM_FIELDS as readonly string[]).includes(f);

/** Checked before the library opens: one image, a known field, exactly one of --take and --value. */
export function checkResolveArgs({ values, positionals }: ParsedArgs): void {
  if (positionals.length !== 1) throw new UsageError('sync resolve needs one image (its id or sha256)');
  const image = positionals[0]!;
  if (!/^\d+$/.test(image) && !/^[0-9a-f]{64}$/.test(image)) {
    throw new UsageError(`sync resolve: "${image}" is neither an image id nor a 64-hex-digit sha256`);
  }
  const field = values.field;
  if (typeof field !== 'string' || !isField(field)) throw new UsageError(`sync resolve needs --field, one of ${CLAIM_FIELDS.join(', ')}`);
  if ((typeof values.take === 'string') === (typeof values.value === 'string')) {
    throw new UsageError('sync resolve needs exactly one of --take CLAIMANT (client id, its prefix or curator) and --value V');
  }
}

export async function runResolve(lib: Library, { values, positionals }: ParsedArgs, io: CommandIo): Promise<number> {
  const image = positionals[0]!;
  const field = values.field as ClaimField;
  const url = typeof values.pg === 'string' ? values.pg : undefined;
  const r = await lib.invoke('sync.resolve', {
    ...(url ? { url } : {}),
    image: /^\d+$/.test(image) ? Number(image) : image,
    field,
    ...(typeof values.take === 'string' ? { take: values.take } : {}),
    ...(typeof values.value === 'string' ? { value: values.value } : {}),
  });
  if (values.json === true) io.out(JSON.stringify(r));
  else
    io.out(
      `resolved image ${r.imageId} ${r.field}: ${r.value ?? 'nothing'} is shown (by ${r.author ?? 'unknown curator'}, client ${r.client.slice(0, 8)})`,
    );
  return 0;
}
