// Helpers to declare an API method once: its zod input schema and (as a phantom) its output type.
import type * as z from 'zod';

export interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  /** Never read at run time; carries the output type. */
  output: O;
}

/** Declares a method: `method(z.object({...}), returns<Out>())`. */
export function method<I extends z.ZodType, O>(input: I, _output: Returns<O>): MethodSpec<I, O> {
  return { input, output: undefined as O };
}

export interface Returns<O> {
  readonly __returns?: O;
}
export function returns<O>(): Returns<O> {
  return {};
}
