// The shape of an API implementation: one function per contract method, over the library context.
import type { ApiMethod, ApiOutput, ApiParsedInput } from '../../src-shared/api';
import type { LibraryContext } from './library-context';

export type Handler<M extends ApiMethod> = (ctx: LibraryContext, input: ApiParsedInput<M>) => Promise<ApiOutput<M>> | ApiOutput<M>;
export type Handlers<K extends ApiMethod> = { [M in K]: Handler<M> };
