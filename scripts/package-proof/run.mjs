#!/usr/bin/env node
// The package proof: what a stranger gets from `npm install nestjs-exotel exotel-simulator`.
//
//   npm run test:package          # npm run package (build + pack into dist/packages/), then this
//   node scripts/package-proof/run.mjs   # on tarballs already packed
//
// 1. The tarballs: contents (compiled code and declarations only, nothing stale), publint,
//    @arethetypeswrong/cli, and a warning-free `npm publish --dry-run`.
// 2. A throwaway Verdaccio (installed once into a cache directory) serving our two packages from
//    its own storage and everything else through its uplink to the public registry; both
//    tarballs are published to it.
// 3. In fresh directories under the OS temp directory, installed from that registry only: a
//    CommonJS and an ESM Nest 12 app, each type-checked under `strict`, built, booted against
//    the simulator package (a call placed through an injected CallsService, `call.initiated`
//    received by an @OnExotelEvent handler), and running one jest test of its own that uses
//    ExotelTestingModule; a consumer-only project that type-checks an `exophone.health_changed`
//    handler against nestjs-exotel/events and proves that importing it loads neither TypeORM nor
//    Nest's HTTP stack nor Express; and every TypeScript snippet of README.md compiled in the
//    CommonJS app.
// 4. Verdaccio stopped, the temp directories removed, a summary with timings; the exit code is
//    non-zero when any step failed, and the failed steps are named.
//
// Environment: PROOF_KEEP=1 keeps the temp directories (their path is printed); PROOF_NPM_CACHE=<dir>
// reuses an npm cache across runs (default: a fresh one per run, shared by its projects);
// PROOF_CACHE_DIR=<dir> is where Verdaccio is installed (default: <tmp>/nestjs-exotel-proof-cache).
// For development only, never in CI: PROOF_SKIP_TESTING_MODULE=1 skips the apps' jest tests,
// PROOF_SKIP_SNIPPETS=1 the README snippets.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { appFiles, checkAppResult } from './lib/app-sources.mjs';
import { consumerFiles, FORBIDDEN_SCRIPTS } from './lib/consumer-sources.mjs';
import { killRunning, run } from './lib/exec.mjs';
import {
  boot,
  installProject,
  jest,
  tsc,
  verifyInstalledFromRegistry,
  writeProject,
} from './lib/projects.mjs';
import { ensureVerdaccio, startRegistry, VERDACCIO_VERSION } from './lib/registry.mjs';
import { checkSnippets } from './lib/snippets.mjs';
import {
  arethetypeswrong,
  checkContents,
  publint,
  publish,
  publishDryRun,
  readTarball,
  workspaceManifest,
} from './lib/tarballs.mjs';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const PACKAGE_DIRS = ['libs/exotel', 'libs/exotel-simulator'];
const flag = (name) => process.env[name] === '1';
const keep = flag('PROOF_KEEP');
const cacheRoot = process.env.PROOF_CACHE_DIR ?? path.join(os.tmpdir(), 'nestjs-exotel-proof-cache');

// ---- steps and the summary ----------------------------------------------------------------------

/** Thrown by `step` once its failure is recorded, to stop the steps that depend on it. */
class StepFailed extends Error {}

const results = [];
const warnings = [];
const started = performance.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const indent = (text) => text.replace(/^/gm, '    ');
const say = (line) => process.stdout.write(`${line}\n`);

/** Runs one named step, records its outcome and time; a failure throws `StepFailed`. */
async function step(name, body) {
  say(`> ${name}`);
  const begin = performance.now();
  let note;
  try {
    const value = await body((text) => (note = text));
    const ms = performance.now() - begin;
    results.push({ name, status: 'passed', ms });
    say(`ok ${name} (${seconds(ms)})${note ? `: ${note}` : ''}`);
    return value;
  } catch (error) {
    const ms = performance.now() - begin;
    const message = error instanceof Error ? error.message : String(error);
    results.push({ name, status: 'FAILED', ms, message });
    say(`FAILED ${name} (${seconds(ms)})\n${indent(message)}`);
    throw new StepFailed(name);
  }
}

/** A step others do not depend on: its failure is recorded, and the caller goes on. */
async function attempt(name, body) {
  try {
    return await step(name, body);
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    return undefined;
  }
}

/** Records a step left out on purpose (development switches only). */
function skipped(name, why) {
  results.push({ name, status: 'skipped', ms: 0, message: why });
  say(`skipped ${name}: ${why}`);
}

/** Runs a sequence of dependent steps; after a failure the rest are reported as not run. */
async function chain(label, body) {
  try {
    await body();
  } catch (error) {
    if (!(error instanceof StepFailed)) {
      results.push({
        name: `${label}: unexpected error`,
        status: 'FAILED',
        ms: 0,
        message: String(error?.stack),
      });
      say(`FAILED ${label}: unexpected error\n${indent(String(error?.stack))}`);
    }
    say(`${label}: the steps after the failure were not run`);
    results.push({ name: `${label}: remaining steps`, status: 'not run', ms: 0 });
  }
}

function summary(workDir) {
  const total = performance.now() - started;
  say(`\n== package proof: summary (${seconds(total)} in all)`);
  for (const r of results) say(`  ${r.status.padEnd(8)} ${seconds(r.ms).padStart(8)}  ${r.name}`);
  if (warnings.length > 0) {
    say('warnings (not failures):');
    for (const w of warnings) say(`  ${w}`);
  }
  if (keep) say(`kept: ${workDir}`);
  const count = (status) => results.filter((r) => r.status === status).length;
  const failed = results.filter((r) => r.status === 'FAILED');
  say(`${count('passed')} passed, ${failed.length} failed, ${count('skipped') + count('not run')} skipped`);
  if (failed.length > 0) say(`package proof FAILED at: ${failed.map((r) => r.name).join('; ')}`);
  return failed.length === 0;
}

// ---- the proof ----------------------------------------------------------------------------------

async function proof(workDir) {
  const logs = path.join(workDir, 'logs');
  const logOf = (name) => path.join(logs, `${name.replace(/[^a-z0-9]+/gi, '-')}.log`);

  const tarballs = await step('tarballs: read dist/packages', async (note) => {
    const read = [];
    for (const dir of PACKAGE_DIRS) {
      const { name, version } = workspaceManifest(path.join(repoRoot, dir));
      const file = path.join(repoRoot, 'dist/packages', `${name}-${version}.tgz`);
      if (!existsSync(file))
        throw new Error(`${path.relative(repoRoot, file)} is missing: run npm run package`);
      read.push({ ...(await readTarball(file, logOf('tar'))), packageDir: path.join(repoRoot, dir) });
    }
    note(read.map((t) => `${path.basename(t.file)} (${t.entries.length} files)`).join(', '));
    return read;
  });
  const versions = Object.fromEntries(tarballs.map((t) => [t.manifest.name, t.manifest.version]));

  const tarballChecks = (async () => {
    for (const tarball of tarballs) {
      const { name } = tarball.manifest;
      await attempt(`${name}: tarball contents`, async (note) => {
        const { problems, warnings: found } = checkContents(tarball, tarball.packageDir);
        warnings.push(...found.map((w) => `${name}: ${w}`));
        if (problems.length > 0) throw new Error(`${problems.length} problem(s)\n${problems.join('\n')}`);
        note(found.length > 0 ? `${found.length} warning(s), listed at the end` : 'clean');
      });
      await attempt(`${name}: publint --strict`, async (note) => {
        const suggestions = await publint(repoRoot, tarball, logOf(`publint-${name}`));
        warnings.push(...suggestions.map((s) => `${name}: publint suggests: ${s.replace(/^\d+\.\s*/, '')}`));
        if (suggestions.length > 0) note(`${suggestions.length} suggestion(s), listed at the end`);
      });
      await attempt(`${name}: @arethetypeswrong/cli`, () =>
        arethetypeswrong(repoRoot, tarball, logOf(`attw-${name}`)),
      );
    }
  })();

  let registry;
  const registryAndProjects = chain('registry', async () => {
    const verdaccio = await step(`registry: Verdaccio ${VERDACCIO_VERSION}`, async (note) => {
      const installed = await ensureVerdaccio(cacheRoot, logOf('verdaccio-install'));
      note(installed.cached ? `cached in ${cacheRoot}` : `installed into ${cacheRoot}`);
      return installed;
    });
    registry = await step('registry: start, with a throwaway user', async (note) => {
      const server = await startRegistry({ bin: verdaccio.bin, root: path.join(workDir, 'registry') });
      note(server.url);
      return server;
    });
    for (const tarball of tarballs) {
      const { name } = tarball.manifest;
      await attempt(`${name}: npm publish --dry-run is clean`, () =>
        publishDryRun({
          tarball,
          registry,
          scratch: path.join(workDir, 'publish'),
          logFile: logOf(`dry-run-${name}`),
        }),
      );
    }
    for (const tarball of tarballs) {
      const { name, version } = tarball.manifest;
      await step(`${name}: npm publish to the local registry`, async (note) => {
        await publish({
          tarball,
          registry,
          scratch: path.join(workDir, 'publish'),
          logFile: logOf(`publish-${name}`),
        });
        note(`${name}@${version}, served with the tarball's sha512`);
      });
    }
    const cache = process.env.PROOF_NPM_CACHE ?? path.join(workDir, 'npm-cache');
    await Promise.all([
      chain('cjs', () => nestApp({ kind: 'cjs', workDir, registry, cache, tarballs, versions, logOf })),
      chain('esm', () => nestApp({ kind: 'esm', workDir, registry, cache, tarballs, versions, logOf })),
      chain('consumer', () => consumerOnly({ workDir, registry, cache, tarballs, versions, logOf })),
    ]);
  });

  await Promise.all([tarballChecks, registryAndProjects]);
  if (registry) await attempt('registry: stop', () => registry.stop());
}

/** A Nest 12 app of `kind` (cjs or esm), from an empty directory to a passing jest test. */
async function nestApp({ kind, workDir, registry, cache, tarballs, versions, logOf }) {
  const dir = path.join(workDir, `${kind}-app`);
  const snippets = kind === 'cjs';
  const log = (name) => logOf(`${kind}-${name}`);
  await step(`${kind}: create the app and npm install from the local registry`, async (note) => {
    await writeProject(dir, appFiles({ kind, packages: versions, snippets }));
    await installProject({ dir, registry, cache, logFile: log('install') });
    const count = verifyInstalledFromRegistry({ dir, registry, tarballs });
    note(`${count} packages, all through ${registry.url}; ours byte for byte the published tarballs`);
  });
  await chain(`${kind} app`, async () => {
    await step(`${kind}: tsc strict (src)`, () =>
      tsc(dir, ['-p', 'tsconfig.build.json', '--noEmit'], log('tsc')),
    );
    await step(`${kind}: boot against the simulator, place a call, receive call.initiated`, async (note) => {
      await tsc(dir, ['-p', 'tsconfig.build.json'], log('build'));
      const result = await boot(dir, log('boot'));
      checkAppResult(kind, result);
      note(`${result.moduleSystem}: call ${result.call.id} ${result.call.outcome} (${result.call.callSid})`);
    });
  });
  if (flag('PROOF_SKIP_TESTING_MODULE')) {
    skipped(`${kind}: jest test with ExotelTestingModule`, 'PROOF_SKIP_TESTING_MODULE=1');
  } else {
    await attempt(`${kind}: jest test with ExotelTestingModule`, async (note) => {
      if (kind === 'esm') {
        // Compiled first (tsc checks the test as ESM), then jest runs the JavaScript as CommonJS.
        await tsc(dir, ['-p', 'tsconfig.test.json'], log('tsc-test'));
      } else {
        await tsc(dir, ['-p', 'tsconfig.json', '--noEmit'], log('tsc-test'));
      }
      const { stderr } = await jest(dir, log('jest'));
      note(/^Tests:.*$/m.exec(stderr)?.[0] ?? 'passed');
    });
  }
  if (!snippets) return;
  if (flag('PROOF_SKIP_SNIPPETS')) {
    skipped('cjs: README.md snippets compile', 'PROOF_SKIP_SNIPPETS=1');
    return;
  }
  await attempt('cjs: README.md snippets compile', async (note) => {
    const readme = path.join(repoRoot, 'README.md');
    const { checked, skipped: left } = await checkSnippets({
      readme,
      readmeText: readFileSync(readme, 'utf8'),
      appDir: dir,
      logFile: log('snippets'),
    });
    note(`${checked} snippet(s) compiled${left > 0 ? `, ${left} marked snippet:skip` : ''}`);
  });
}

/** The consumer-only project: types of nestjs-exotel/events, and what importing it loads. */
async function consumerOnly({ workDir, registry, cache, tarballs, versions, logOf }) {
  const dir = path.join(workDir, 'events-consumer');
  await step('consumer: create the project and npm install from the local registry', async (note) => {
    await writeProject(dir, consumerFiles({ packages: versions }));
    await installProject({ dir, registry, cache, logFile: logOf('consumer-install') });
    const count = verifyInstalledFromRegistry({ dir, registry, tarballs });
    note(`${count} packages, all through ${registry.url}`);
  });
  await attempt('consumer: tsc strict on an exophone.health_changed handler (nestjs-exotel/events)', () =>
    tsc(dir, ['-p', 'tsconfig.json'], logOf('consumer-tsc')),
  );
  for (const mode of ['import', 'require']) {
    await attempt(
      `consumer: ${mode} nestjs-exotel/events loads no TypeORM, HTTP stack or Express`,
      async (note) => {
        const { stdout } = await run(
          process.execPath,
          ['check-loaded.mjs', mode, JSON.stringify(FORBIDDEN_SCRIPTS)],
          { cwd: dir, logFile: logOf(`consumer-${mode}`), allowFailure: true },
        );
        const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
        if (report.loadedForbidden?.length > 0 || report.problems?.length > 0 || !report.packages) {
          throw new Error(
            [
              ...(report.loadedForbidden ?? []).map((what) => `loaded ${what}`),
              ...(report.problems ?? []),
              `packages loaded: ${(report.packages ?? []).join(', ') || stdout}`,
            ].join('\n'),
          );
        }
        note(`${report.scripts} scripts from ${report.packages.join(', ')}`);
      },
    );
  }
}

// ---- main ---------------------------------------------------------------------------------------

const workDir = await mkdtemp(path.join(os.tmpdir(), 'nestjs-exotel-proof-'));
if (path.relative(repoRoot, workDir).split(path.sep)[0] !== '..') {
  throw new Error(`the proof's projects must live outside the repository, not in ${workDir}`);
}
say(`== package proof in ${workDir}`);
const cleanUp = async () => {
  if (!keep) await rm(workDir, { recursive: true, force: true });
};
// On a signal: end every command started here (the registry too); the steps waiting on them fail
// at once and the summary follows. Should anything still hang, leave anyway after 10 s.
let interrupted = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    interrupted = signal;
    say(`\n${signal}: stopping`);
    killRunning();
    setTimeout(() => void cleanUp().finally(() => process.exit(130)), 10_000).unref();
  });
}
try {
  await proof(workDir);
} catch (error) {
  if (!(error instanceof StepFailed)) {
    results.push({ name: 'unexpected error', status: 'FAILED', ms: 0 });
    say(String(error?.stack ?? error));
  }
} finally {
  killRunning();
}
const passed = summary(workDir);
await cleanUp();
if (interrupted) say(`package proof interrupted by ${interrupted}`);
process.exitCode = interrupted ? 130 : passed ? 0 : 1;
