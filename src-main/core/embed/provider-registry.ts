// Per-library embedding providers: the descriptor, local CLIP models (one worker each) and the remote service.
import type { LibraryContext } from '../library-context';
import { SporeprintError } from '../errors';
import { getModel, upsertModel } from '../vector/vector-store';
import { detectDtype } from './clip-dtype';
import { DescriptorProvider, DESCRIPTOR_MODEL_ID } from './descriptor-provider';
import { LocalClipProvider } from './local-clip-provider';
import { activeClipModelId, installedClip, noModelError } from './model-catalog';
import type { ImageEmbeddingProvider } from './provider';
import { RemoteProvider, remoteModelId, type RemoteFlavour } from './remote-provider';

export class ProviderRegistry {
  private readonly open = new Map<string, Promise<ImageEmbeddingProvider>>();
  private readonly descriptor = new DescriptorProvider();
  private remote: RemoteProvider | undefined;

  constructor(private readonly ctx: LibraryContext) {}

  /** The descriptor provider, registered in the catalogue on first use. */
  descriptorProvider(): DescriptorProvider {
    if (!getModel(this.ctx.db, DESCRIPTOR_MODEL_ID))
      upsertModel(this.ctx.db, { id: DESCRIPTOR_MODEL_ID, kind: 'descriptor', vectorSize: this.descriptor.vectorSize, path: null });
    return this.descriptor;
  }

  /** The configured remote service, when IMAGE_EMBEDDING_PROVIDER is remote or ollama. */
  remoteProvider(): RemoteProvider | undefined {
    const { IMAGE_EMBEDDING_PROVIDER: kind, CLIP_ENDPOINT: endpoint, CLIP_MODEL: model } = this.ctx.config;
    if (kind !== 'remote' && kind !== 'ollama') return undefined;
    if (!endpoint)
      throw new SporeprintError('INVALID_INPUT', `IMAGE_EMBEDDING_PROVIDER=${kind} needs CLIP_ENDPOINT (the service's base URL)`);
    const flavour: RemoteFlavour = kind === 'ollama' ? 'ollama' : 'clip-service';
    const known = getModel(this.ctx.db, remoteModelId(flavour, model));
    this.remote ??= new RemoteProvider({ endpoint, flavour, model, vectorSize: known?.vectorSize });
    return this.remote;
  }

  /** The provider whose space text search and suggestions use, or null when none is available. */
  async textProvider(): Promise<ImageEmbeddingProvider | null> {
    if (this.ctx.config.IMAGE_EMBEDDING_PROVIDER === 'descriptor') return null;
    const remote = this.remoteProvider();
    if (remote) return remote;
    const id = activeClipModelId(this.ctx.db, this.ctx.dir, this.ctx.config.CLIP_MODEL);
    return id ? this.get(id) : null;
  }

  async requireTextProvider(what: string): Promise<ImageEmbeddingProvider> {
    const provider = await this.textProvider();
    if (!provider) {
      if (this.ctx.config.IMAGE_EMBEDDING_PROVIDER === 'descriptor') {
        throw new SporeprintError(
          'MODEL_MISSING',
          `${what} needs a CLIP model but IMAGE_EMBEDDING_PROVIDER=descriptor; set it to local and install or import a model`,
        );
      }
      throw noModelError(what);
    }
    return provider;
  }

  /** A provider by model id: the descriptor, the remote service, or an installed local CLIP model. */
  get(modelId: string): Promise<ImageEmbeddingProvider> {
    if (modelId === DESCRIPTOR_MODEL_ID) return Promise.resolve(this.descriptorProvider());
    const remote = modelId.startsWith('remote:') ? this.remoteProvider() : undefined;
    if (remote && remote.modelId === modelId) return Promise.resolve(remote);
    let provider = this.open.get(modelId);
    if (!provider) {
      provider = this.openClip(modelId);
      this.open.set(modelId, provider);
      // A failed load is not cached: the user may fix the folder and try again.
      provider.catch(() => this.open.delete(modelId));
    }
    return provider;
  }

  private async openClip(modelId: string): Promise<ImageEmbeddingProvider> {
    const installed = installedClip(this.ctx.db, this.ctx.dir, modelId);
    if (!installed) {
      throw new SporeprintError(
        'MODEL_MISSING',
        `model ${modelId} is not installed. Run \`sporeprint model install ${modelId}\` (online) or \`sporeprint model import <folder> --id ${modelId}\``,
      );
    }
    return LocalClipProvider.open({
      modelId,
      modelDir: installed.absoluteDir,
      dtype: detectDtype(installed.absoluteDir)!,
      targetSize: this.ctx.config.IMAGE_TARGET_SIZE,
      batchSize: this.ctx.config.IMAGE_BATCH_SIZE,
      vectorSize: installed.vectorSize,
    });
  }

  /** Stops a model's worker (before its folder is removed). */
  async drop(modelId: string): Promise<void> {
    const provider = this.open.get(modelId);
    this.open.delete(modelId);
    if (provider)
      await provider.then(
        (p) => p.close(),
        () => undefined,
      );
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(
      all.map((p) =>
        p.then(
          (x) => x.close(),
          () => undefined,
        ),
      ),
    );
  }
}

export function providers(ctx: LibraryContext): ProviderRegistry {
  return ctx.service(
    'embed.providers',
    () => new ProviderRegistry(ctx),
    (r) => r.closeAll(),
  );
}
