// `sporeprint taxa import-checklist FILE [--name N]` and `sporeprint taxa checklists`: the taxon checklists Edit taxon
// completes names from (a regional fungal checklist: one name per line, or a Darwin Core taxon file).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ChecklistImport } from '../../../src-shared/api/taxa';
import type { LibraryCommand, ParsedArgs } from '../command';
import { UsageError } from '../usage-error';

const ACTIONS = ['import-checklist', 'checklists'] as const;

/** The checklist's absolute path: the core takes only absolute paths, the shell gives relative ones. */
function checklistPath(args: ParsedArgs): string {
  return path.resolve(args.positionals[1]!);
}

function report(r: ChecklistImport): string {
  const what = r.format === 'darwin-core' ? 'Darwin Core taxon file' : 'list of names';
  const skipped = r.skipped > 0 ? `; ${r.skipped} line(s) without a scientific name left out (line ${r.skippedLines.join(', ')})` : '';
  return `imported ${r.names} name(s) from the ${what} as "${r.file}"${skipped}`;
}

export const taxaCommand: LibraryCommand = {
  name: 'taxa',
  summary: 'import a taxon checklist (one name per line, or a Darwin Core taxon file) for Edit taxon to complete from',
  usage: 'taxa import-checklist FILE [--name N] [--json]\n       taxa checklists [--json]',
  options: {
    name: {
      type: 'string',
      value: 'N',
      description: 'import-checklist: the name the list is kept under (importing under it again replaces it)',
      default: "the file's full path",
    },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  access: (args) => (args.positionals[0] === 'checklists' ? 'read' : 'write'),
  check(args) {
    const [action, ...rest] = args.positionals;
    if (!action || !(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`taxa needs an action: ${ACTIONS.join(' or ')}`);
    if (action === 'checklists') {
      if (rest.length > 0) throw new UsageError('taxa checklists takes no file');
      if (args.values.name !== undefined) throw new UsageError('--name goes with taxa import-checklist');
      return;
    }
    if (rest.length !== 1) throw new UsageError('taxa import-checklist needs one FILE');
    const file = checklistPath(args);
    if (!existsSync(file)) throw new UsageError(`taxa import-checklist: ${file} does not exist`);
  },
  async run(lib, args, io) {
    const json = args.values.json === true;
    if (args.positionals[0] === 'checklists') {
      const lists = await lib.invoke('taxa.checklists', {});
      if (json) io.out(JSON.stringify(lists));
      else if (lists.length === 0) io.out('no checklist imported yet');
      else for (const c of lists) io.out(`${c.file}  ${c.names} names  imported ${c.importedAt}`);
      return 0;
    }
    const name = typeof args.values.name === 'string' ? args.values.name : undefined;
    const result = await lib.invoke('taxa.importChecklist', { path: checklistPath(args), ...(name ? { name } : {}) });
    io.out(json ? JSON.stringify(result) : report(result));
    return 0;
  },
};
