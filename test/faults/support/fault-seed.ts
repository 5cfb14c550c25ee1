import { randomInt } from 'node:crypto';

/**
 * A seeded pseudo-random source (mulberry32): the same seed draws the same kill points, fault
 * plans and health flips, so a failing scenario can be run again exactly.
 */
export class FaultRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** `count` distinct items of `items`, in draw order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) out.push(pool.splice(this.int(0, pool.length - 1), 1)[0]);
    return out;
  }
}

/** The scenario's seed: `FAULT_SEED`, else a random one (printed, so a failure can be rerun). */
export function faultSeed(): number {
  const given = process.env.FAULT_SEED;
  if (given !== undefined && given.trim() !== '') {
    const seed = Number(given);
    if (!Number.isInteger(seed) || seed < 0)
      throw new Error(`FAULT_SEED must be a whole number, got "${given}"`);
    return seed;
  }
  return randomInt(1, 2 ** 31);
}

/** How many rounds a repeated scenario runs: `FAULT_ROUNDS`, else `fallback`. */
export function faultRounds(fallback: number): number {
  const rounds = Number(process.env.FAULT_ROUNDS ?? fallback);
  return Number.isInteger(rounds) && rounds > 0 ? rounds : fallback;
}

/** The command that reruns `specFile` with `seed` (one round). */
function reproduceCommand(specFile: string, seed: number): string {
  const relative = specFile.slice(specFile.indexOf('test/faults/'));
  return `FAULT_SEED=${seed} FAULT_ROUNDS=1 npx jest -c jest.faults.config.js ${relative}`;
}

/**
 * Runs one seeded round; a failure is rethrown with the seed and the command that reproduces it
 * prepended to its message, so the CI log names it.
 */
export async function withSeed<T>(
  specFile: string,
  seed: number,
  round: (random: FaultRandom) => Promise<T>,
): Promise<T> {
  try {
    return await round(new FaultRandom(seed));
  } catch (error) {
    const reason = error instanceof Error ? error : new Error(String(error));
    reason.message = `seed ${seed} failed; reproduce with: ${reproduceCommand(specFile, seed)}\n${reason.message}`;
    throw reason;
  }
}

/** Prints a scenario's counts on one line (the CI log keeps them next to the verdict). */
export function reportCounts(scenario: string, counts: Record<string, unknown>): void {
  process.stdout.write(`[faults] ${scenario}: ${JSON.stringify(counts)}\n`);
}
