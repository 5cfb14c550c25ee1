import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { faultSeed, reportCounts, withSeed } from './support/fault-seed';
import { ManagedProcess, REPO_ROOT } from './support/managed-process';

/** The fuzz suite of every webhook and the management API (test/fuzz), here at the volume. */
const FUZZ_SPEC = 'test/fuzz/edge-fuzz.e2e-spec.ts';
const RUNS = process.env.FAULT_FUZZ_RUNS ?? '10000';
/** Hang guard: the fuzz suite's own allowance per input (13 targets), not a time goal. */
const HANG_GUARD_MS = 120_000 + Number(RUNS) * 150;

// Generated malformed input (fast-check) at every webhook and the management API, 10,000 inputs
// per target, on PostgreSQL (where SQLite accepts what PostgreSQL refuses): 0 5xx, 0 crashes, the
// service healthy after. `npm test` runs the same suite with a few hundred inputs.
describe('edge fuzzing at volume', () => {
  let fuzzSuite: ManagedProcess | undefined;

  afterAll(async () => {
    await fuzzSuite?.kill();
  });

  it(
    `answers ${RUNS} generated inputs per target without a 5xx or a crash`,
    async () => {
      expect(existsSync(join(REPO_ROOT, FUZZ_SPEC))).toBe(true);
      const seed = faultSeed();
      await withSeed(__filename, seed, async () => {
        const started = Date.now();
        const jest = (fuzzSuite = ManagedProcess.node(
          'fuzz suite',
          'node_modules/jest/bin/jest.js',
          [FUZZ_SPEC, '--ci'],
          {
            FUZZ_RUNS: RUNS,
            FUZZ_SEED: String(seed),
            TEST_DATABASE: 'postgres',
            JEST_MAX_WORKERS: '1',
          },
        ));
        const exit = await jest.exited;
        const output = jest.lines.join('\n');
        const statuses = /edge fuzz statuses: (.*)/.exec(output)?.[1];
        const tests = /Tests:\s+(.*)/.exec(output)?.[1];
        reportCounts('edge fuzz', {
          seed,
          runsPerTarget: Number(RUNS),
          database: 'postgres',
          exitCode: exit.code,
          tests: tests ?? null,
          statuses: statuses ? JSON.parse(statuses) : null,
          seconds: Math.round((Date.now() - started) / 1000),
        });
        if (exit.code !== 0)
          throw new Error(
            `the fuzz suite failed (FUZZ_SEED=${seed} FUZZ_RUNS=${RUNS} TEST_DATABASE=postgres npx jest ${FUZZ_SPEC}):\n${jest.tail(80)}`,
          );
      });
    },
    HANG_GUARD_MS,
  );
});
