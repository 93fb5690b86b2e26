// Helpers to declare an API method once: its zod input schema and (as a phantom) its output type.
import type * as z from 'zod';

export interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  /** Never read at run time; carries the output type. */
  output: O;
}

/**
 * Declares a method: `method(() => z.object({...}), returns<Out>())`. Its schema is built on first use: a command
 * validates the input of one or two methods, and building all of them was ~5 % of a `stats` start.
 */
export function method<I extends z.ZodType, O>(input: () => I, _output: Returns<O>): MethodSpec<I, O> {
  let built: I | undefined;
  return {
    get input() {
      return (built ??= input());
    },
    output: undefined as O,
  };
}

export interface Returns<O> {
  readonly __returns?: O;
}
export function returns<O>(): Returns<O> {
  return {};
}
