// `sporeprint license set|undo|history|default|list`: licences and credit by hand, audited and undoable.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LicenseEvent, LicenseSetResult } from '../../../src-shared/api/licenses';
import type { Library } from '../../core/library';
import type { LibraryCommand } from '../command';

const USAGE = [
  'license set <image|folder...> (--license ID | --mine) [--attribution TEXT] [--source-url URL] [--only-missing] [--author A] [--json]',
  'license undo <image|folder...> [--json]',
  'license history <image> [--json]',
  'license default [--license ID --attribution NAME]',
  'license list',
].join('\n       sporeprint ');

/** Files and folders on disk are paths; anything else (an id, a sha256 prefix) is resolved to an image id. */
async function targetsOf(lib: Library, refs: string[]): Promise<{ paths: string[]; imageIds: number[] }> {
  const paths: string[] = [];
  const imageIds: number[] = [];
  for (const ref of refs) {
    if (existsSync(ref)) paths.push(path.resolve(ref));
    else imageIds.push((await lib.invoke('images.resolve', { ref })).id);
  }
  return { paths, imageIds };
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

export const licenseCommand: LibraryCommand = {
  name: 'license',
  access: ({ positionals }) => (positionals[0] === 'history' || positionals[0] === 'list' ? 'read' : 'write'),
  summary: 'give photos a licence and credit (a folder: every image under it), undo it, show its history',
  usage: USAGE,
  options: {
    license: {
      type: 'string',
      value: 'ID',
      description: 'the licence, in any spelling the vocabulary reads (CC-BY-4.0, "CC BY 4.0", a licence URL, CC_BY_4_0)',
      default: 'none (set: required unless --mine)',
    },
    attribution: { type: 'string', value: 'TEXT', description: 'the credit line the author asks for', default: 'unchanged' },
    'source-url': { type: 'string', value: 'URL', description: 'where the photo was published', default: 'unchanged' },
    mine: { type: 'boolean', description: 'use the "my photos" default licence and name (set it with license default)' },
    'only-missing': { type: 'boolean', description: 'only images that have no licence yet' },
    author: {
      type: 'string',
      value: 'NAME',
      description: 'who made the change, in the audit trail',
      default: '$SPOREPRINT_CURATOR, else the user name',
    },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run(lib, { values, positionals }, io) {
    const [action, ...refs] = positionals;
    const json = values.json === true;
    switch (action) {
      case 'set': {
        if (refs.length === 0 || (values.license === undefined && values.mine !== true)) {
          io.err(`license set needs images or folders and --license ID (or --mine)\nusage: sporeprint ${USAGE}`);
          return 2;
        }
        const result = await lib.invoke('licenses.set', {
          ...(await targetsOf(lib, refs)),
          license: text(values.license),
          attribution: text(values.attribution),
          sourceUrl: text(values['source-url']),
          mine: values.mine === true,
          onlyMissing: values['only-missing'] === true,
          author: text(values.author),
        });
        io.out(json ? JSON.stringify(result) : describeSet(result));
        return 0;
      }
      case 'undo': {
        if (refs.length === 0) {
          io.err(`license undo needs images or folders\nusage: sporeprint ${USAGE}`);
          return 2;
        }
        const result = await lib.invoke('licenses.undo', await targetsOf(lib, refs));
        if (json) io.out(JSON.stringify(result));
        else {
          io.out(`undid the last licence change of ${result.undone} image(s)`);
          for (const i of result.images.slice(0, 10))
            io.out(`#${i.imageId} restored: ${i.license ?? 'no licence'}${i.attribution ? `, credit ${i.attribution}` : ''}`);
        }
        return 0;
      }
      case 'history': {
        if (refs.length !== 1) {
          io.err(`license history needs one image\nusage: sporeprint ${USAGE}`);
          return 2;
        }
        const { id } = await lib.invoke('images.resolve', { ref: refs[0]! });
        const events = await lib.invoke('licenses.history', { imageId: id });
        if (json) io.out(JSON.stringify(events));
        else if (events.length === 0) io.out(`#${id} has no licence changes (its licence is the one its source gave)`);
        else for (const e of events) io.out(describeLicenseEvent(e));
        return 0;
      }
      case 'default': {
        if (values.license === undefined && values.attribution === undefined) {
          const { myPhotos } = await lib.invoke('licenses.vocabulary', {});
          io.out(myPhotos ? `my photos: ${myPhotos.license}, credit ${myPhotos.attribution}` : 'no "my photos" default set');
          return 0;
        }
        if (typeof values.license !== 'string' || typeof values.attribution !== 'string') {
          io.err('license default needs both --license ID and --attribution NAME');
          return 2;
        }
        const saved = await lib.invoke('licenses.setMyPhotos', { license: values.license, attribution: values.attribution });
        io.out(`my photos: ${saved.license}, credit ${saved.attribution} (applied with --mine: license set --mine, ingest --mine)`);
        return 0;
      }
      case 'list': {
        const vocabulary = await lib.invoke('licenses.vocabulary', {});
        for (const f of vocabulary.families) io.out(`${f.allowed ? 'exported ' : 'left out '} ${f.description}`);
        io.out(`allow-list (LICENSE_ALLOW_LIST): ${vocabulary.allowList.join(', ')}`);
        return 0;
      }
      default:
        io.err(`unknown license action "${action ?? ''}"\nusage: sporeprint ${USAGE}`);
        return 2;
    }
  },
};

function describeSet(r: LicenseSetResult): string {
  const lines = [
    `${r.license}${r.attribution ? `, credit ${r.attribution}` : ''}: ${r.changed} of ${r.images} image(s) changed, ${r.unchanged} already so or kept`,
  ];
  if (r.missingAttribution)
    lines.push(
      `${r.missingAttribution} of them have no credit line, which ${r.license} requires: they stay out of exports until you add --attribution "Name"`,
    );
  if (r.changed) lines.push('undo with `sporeprint license undo <same images or folders>`');
  return lines.join('\n');
}

export function describeLicenseEvent(e: LicenseEvent): string {
  const side = (s: LicenseEvent['from']) => `${s.license ?? 'no licence'}${s.attribution ? ` (${s.attribution})` : ''}`;
  const who = e.author ? ` by ${e.author}` : '';
  return `${e.at}  licence ${e.action.padEnd(9)} ${side(e.from)} -> ${side(e.to)}${who}${e.note ? ` - ${e.note}` : ''}`;
}
