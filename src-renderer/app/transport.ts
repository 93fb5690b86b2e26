// What every view talks through: one invoke, one event subscription, one way to name an image file.
import type { ApiEventName, ApiEvents, Invoke } from '../../src-shared/api';

export interface Transport {
  kind: 'ipc' | 'http';
  invoke: Invoke;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** URL of a library-relative derivative path (e.g. ImageSummary.thumbPath) usable as <img src>. */
  mediaUrl(relativePath: string): string;
  /** URL of an image's original (by id; converted when the browser cannot show its format): the loupe's 100 %. */
  originalUrl(imageId: number): string;
  /** Path of a dropped file or folder; null where the platform hides it (browsers). */
  pathForFile(file: File): string | null;
  /** The system folder picker where there is one (desktop); null in a browser. */
  pickFolders: (() => Promise<string[]>) | null;
}
