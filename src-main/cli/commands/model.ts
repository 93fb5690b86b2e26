// `sporeprint model list | install <hub-id> | import <folder> | use <id> | remove <id>`: embedding models.
import type { ModelInfo } from '../../../src-shared/model';
import type { LibraryCommand } from '../command';
import { followJob, jobDoneEvent } from '../run-job';
import { UsageError } from '../usage-error';

function describeModel(m: ModelInfo): string {
  const state = m.active ? 'active' : m.installed ? 'installed' : 'not installed';
  return `${m.active ? '*' : ' '} ${m.id.padEnd(34)} ${m.kind.padEnd(10)} ${String(m.vectorSize).padStart(4)}-d  ${state.padEnd(13)} ${m.vectorCount} vectors`;
}

const MODEL_ACTIONS = ['list', 'install', 'import', 'use', 'remove'];

export const modelCommand: LibraryCommand = {
  name: 'model',
  access: ({ positionals }) => ((positionals[0] ?? 'list') === 'list' ? 'read' : 'write'),
  summary: 'list, install (download), import (offline copy), use or remove embedding models',
  usage: 'model list | install <hub-id> | import <folder> [--id ID] | use <id> [--no-backfill] | remove <id> [--json]',
  options: {
    id: { type: 'string', value: 'ID', description: 'the id an imported model gets', default: 'the folder name' },
    json: { type: 'boolean', description: 'print JSON' },
    'no-backfill': { type: 'boolean', description: 'with use: make the model active without embedding the library now' },
  },
  check: ({ positionals }) => {
    const [action = 'list', arg] = positionals;
    if (!MODEL_ACTIONS.includes(action)) throw new UsageError(`unknown model action "${action}" (${MODEL_ACTIONS.join(', ')})`);
    if (action !== 'list' && !arg) throw new UsageError(`model ${action} needs ${action === 'import' ? 'a model folder' : 'a model id'}`);
  },
  async run(lib, { values, positionals }, io) {
    const [action = 'list', arg] = positionals;
    const json = values.json === true;
    const need = (what: string) => {
      if (!arg) throw new UsageError(`model ${action} needs ${what}`);
      return arg;
    };
    switch (action) {
      case 'list': {
        const models = await lib.invoke('models.list', {});
        if (json) io.out(JSON.stringify(models, null, 2));
        else for (const m of models) io.out(describeModel(m));
        return 0;
      }
      case 'install': {
        const hubId = need('a hub id, e.g. Xenova/clip-vit-base-patch32');
        const job = await followJob(lib, () => lib.invoke('models.install', { hubId }), `download ${hubId}`, json, io);
        if (json) io.out(jobDoneEvent(job));
        else if (job.status === 'completed')
          io.out(`installed ${hubId} (${String(job.result?.vectorSize)}-d); make it active with \`sporeprint model use ${hubId}\``);
        else io.err(`install ${job.status}${job.error ? `: ${job.error}` : ''}`);
        return job.status === 'completed' ? 0 : 1;
      }
      case 'import': {
        const folder = need('a model folder (transformers.js layout)');
        const info = await lib.invoke('models.import', { folder, ...(typeof values.id === 'string' ? { id: values.id } : {}) });
        io.out(
          json
            ? JSON.stringify(info)
            : `imported ${info.id} (${info.vectorSize}-d) into ${info.path}; make it active with \`sporeprint model use ${info.id}\``,
        );
        return 0;
      }
      case 'use': {
        const info = await lib.invoke('models.use', { id: need('a model id') });
        if (!json) io.out(`active model: ${info.id}`);
        if (values['no-backfill'] === true || info.kind === 'descriptor') {
          if (json) io.out(JSON.stringify(info));
          return 0;
        }
        // A new active model gets its own index, filled from the catalogue's images; the old one is kept.
        const job = await followJob(lib, () => lib.invoke('embed.start', { modelId: info.id }), `embed ${info.id}`, json, io);
        if (json) io.out(JSON.stringify({ ...info, backfill: { job: job.id, status: job.status, error: job.error, ...job.result } }));
        else if (job.status !== 'completed')
          io.err(`backfill ${job.status}${job.error ? `: ${job.error}` : ''}; run \`sporeprint embed\` to resume`);
        return job.status === 'completed' ? 0 : 1;
      }
      case 'remove': {
        const result = await lib.invoke('models.remove', { id: need('a model id') });
        io.out(json ? JSON.stringify(result) : result.removed ? `removed ${arg} (files, vectors and index)` : `${arg} was not installed`);
        return 0;
      }
      default:
        throw new UsageError(`unknown model action "${action}" (list, install, import, use, remove)`);
    }
  },
};
