/**
 * Runs the benchmarks: `npm run bench` (all) or `npm run bench -- <name>`.
 *
 * Each benchmark prints its own figures next to a baseline measured in the same run on the same
 * machine (a bare Node server, a raw kafkajs producer, a raw HTTP POST...). Nothing here fails on an
 * absolute time: machines differ; the ratio to the baseline is what to watch.
 */
import { BENCHMARKS } from './benchmarks';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const selected = wanted.length > 0 ? BENCHMARKS.filter((b) => wanted.includes(b.name)) : BENCHMARKS;
  if (selected.length === 0) {
    process.stdout.write(
      `No benchmark matches ${wanted.join(', ')}. Known: ${BENCHMARKS.map((b) => b.name).join(', ') || '(none yet)'}\n`,
    );
    return;
  }
  for (const benchmark of selected) {
    process.stdout.write(`\n== ${benchmark.name}: ${benchmark.description}\n`);
    await benchmark.run();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
