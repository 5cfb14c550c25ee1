import type { z } from 'zod';
import type { ConfigurationProblem } from '../errors/exotel-configuration.error';

// Zod carries one message string per issue; we pack "what is wrong" and "how to fix it" into
// it with a separator nobody types, and unpack both when building the configuration error.
const SEPARATOR = '\u241f';

/** A zod error message made of the problem and its fix. */
export function problem(what: string, fix: string): { error: string } {
  return { error: `${what}${SEPARATOR}${fix}` };
}

/** Turns zod issues into configuration problems; `nameOf` maps an issue path to what the user sees. */
export function toConfigurationProblems(
  error: z.ZodError,
  nameOf: (path: readonly PropertyKey[]) => string,
): ConfigurationProblem[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => nameOf([...issue.path, k]));
      return {
        path: keys.join(', '),
        problem: 'is not a known option',
        fix: 'remove it or check its spelling against the README configuration table',
      };
    }
    const [what, fix] = issue.message.split(SEPARATOR);
    const path = nameOf(issue.path);
    return {
      path,
      problem: what,
      fix: fix ?? `set ${path} to a valid value (see the README configuration table)`,
    };
  });
}

/** Dotted option path, e.g. `timeouts.connectMs`. */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(options)' : path.map(String).join('.');
}
