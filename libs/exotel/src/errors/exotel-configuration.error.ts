import { ExotelError } from './exotel.error';

/** One problem found while validating options or environment. */
export interface ConfigurationProblem {
  /** Where the problem is: an option path (`credentials.apiKey`) or an environment variable. */
  readonly path: string;
  /** What is wrong with the value. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * Thrown at boot when the configuration is invalid. It lists every problem at once, so a
 * deployment can be fixed in one round instead of one error per restart.
 */
export class ExotelConfigurationError extends ExotelError {
  readonly code = 'EXOTEL_CONFIGURATION_INVALID';

  constructor(readonly problems: readonly ConfigurationProblem[]) {
    super(ExotelConfigurationError.describe(problems), { details: { problems } });
  }

  private static describe(problems: readonly ConfigurationProblem[]): string {
    const lines = problems.map((p) => `  - ${p.path}: ${p.problem}. Fix: ${p.fix}`);
    const noun = problems.length === 1 ? 'problem' : 'problems';
    return [`Invalid Exotel configuration (${problems.length} ${noun}):`, ...lines].join('\n');
  }
}
