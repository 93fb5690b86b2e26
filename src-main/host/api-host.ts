// What the glue (HTTP server, IPC binding) needs from a library: invoke and events, whether in-process or hosted.
import type { ApiEventName, ApiEvents, ApiInput, ApiMethod, ApiOutput } from '../../src-shared/api';

export interface ApiHost {
  readonly dir: string;
  invoke<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** Records a fault of the glue itself (an HTTP handler's 500) in the library's log, with its stack. */
  report?(err: unknown, context: string): void;
}
