import { z } from 'zod';
import { problem } from './configuration-problems';

/** A positive whole number of milliseconds, `fallback` when left out (and the example of the fix). */
export const positiveInt = (what: string, fallback: number) =>
  z
    .int(
      problem(`${what} must be a whole number of milliseconds`, `use a positive integer such as ${fallback}`),
    )
    .positive(problem(`${what} must be positive`, `use a positive integer such as ${fallback}`))
    .default(fallback);
