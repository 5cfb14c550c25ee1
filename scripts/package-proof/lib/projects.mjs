// Fresh projects outside the repository: written from scratch, installed from the local registry,
// and checked to have got every package, ours above all, through it.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from './exec.mjs';

/** Writes `files` (path -> text) under `dir`. */
export async function writeProject(dir, files) {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

/**
 * `npm install` from the local registry only: the project's .npmrc and `--registry` name it, and
 * the lockfile records where each package came from (the machine's npm config may say otherwise).
 * The npm cache is the proof's own, shared by the projects of one run.
 */
export async function installProject({ dir, registry, cache, logFile }) {
  await writeFile(
    path.join(dir, '.npmrc'),
    `registry=${registry.url}/\nomit-lockfile-registry-resolved=false\n`,
  );
  await run(
    'npm',
    [
      'install',
      '--registry',
      `${registry.url}/`,
      '--cache',
      cache,
      '--no-audit',
      '--no-fund',
      '--loglevel=warn',
    ],
    { cwd: dir, logFile, timeoutMs: 20 * 60_000 },
  );
}

/**
 * Reads the project's lockfile: every package must have been resolved through the local registry,
 * and ours must be byte for byte the tarballs we published (same sha512). Resolves to a count.
 */
export function verifyInstalledFromRegistry({ dir, registry, tarballs }) {
  const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
  const entries = Object.entries(lock.packages ?? {}).filter(([key]) => key.startsWith('node_modules/'));
  const elsewhere = entries
    .filter(([, meta]) => !meta.link && meta.resolved && !meta.resolved.startsWith(`${registry.url}/`))
    .map(([key, meta]) => `${key} from ${meta.resolved}`);
  const unresolved = entries.filter(([, meta]) => !meta.link && !meta.resolved).map(([key]) => key);
  const problems = [
    ...elsewhere.slice(0, 10),
    ...unresolved.slice(0, 10).map((key) => `${key}: no resolved URL`),
  ];
  for (const tarball of tarballs) {
    const { name } = tarball.manifest;
    const meta = lock.packages[`node_modules/${name}`];
    if (!meta) continue;
    if (meta.integrity !== tarball.integrity) {
      problems.push(`${name}: installed ${meta.integrity}, published ${tarball.integrity}`);
    }
    const installed = JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8'));
    if (installed.version !== tarball.manifest.version)
      problems.push(`${name}: installed ${installed.version}`);
  }
  if (problems.length > 0)
    throw new Error(`not installed from the local registry:\n  ${problems.join('\n  ')}`);
  return entries.length;
}

/** Runs the project's TypeScript compiler. */
export function tsc(dir, args, logFile) {
  return run(path.join(dir, 'node_modules/.bin/tsc'), args, { cwd: dir, logFile, timeoutMs: 5 * 60_000 });
}

/** Runs the project's jest (its own cache directory, so nothing outlives the project). */
export function jest(dir, logFile) {
  return run(
    process.execPath,
    [
      path.join(dir, 'node_modules/jest/bin/jest.js'),
      '--ci',
      '--cacheDirectory',
      path.join(dir, '.jest-cache'),
    ],
    {
      cwd: dir,
      logFile,
      timeoutMs: 5 * 60_000,
    },
  );
}

/**
 * Runs `node dist/main.js` and resolves to the JSON it prints after `PROOF_RESULT`. The process
 * must exit 0 by itself once the app and the simulator are closed: a hang fails the step.
 */
export async function boot(dir, logFile) {
  const { stdout } = await run(process.execPath, ['dist/main.js'], { cwd: dir, logFile, timeoutMs: 90_000 });
  const line = stdout.split('\n').find((l) => l.startsWith('PROOF_RESULT '));
  if (!line) throw new Error(`main.js printed no PROOF_RESULT (log: ${logFile})`);
  return JSON.parse(line.slice('PROOF_RESULT '.length));
}
