// What the package proof checks on the tarballs themselves: their contents, publint,
// @arethetypeswrong/cli, a clean `npm publish --dry-run`, then the real publish.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { run } from './exec.mjs';

/** Never shipped: sources, specs, build state, source maps (they would point at absent sources). */
const FORBIDDEN = [
  [/^src\//, 'sources'],
  [/\.(spec|e2e-spec|test)\.[cm]?[jt]s$/, 'a spec'],
  [/tsbuildinfo$/, 'TypeScript build state'],
  [/(?<!\.d)\.[cm]?ts$/, 'TypeScript source'],
  [/\.map$/, 'a source map'],
  [/(^|\/)(\.env|\.npmrc|node_modules\/)/, 'local configuration or dependencies'],
];

/** One tarball: its entries (without the `package/` prefix), its package.json and its integrity. */
export async function readTarball(file, logFile) {
  const { stdout } = await run('tar', ['-tzf', file], { cwd: path.dirname(file), logFile });
  const entries = stdout
    .split('\n')
    .filter(Boolean)
    .map((entry) => entry.replace(/^package\//, ''));
  const { stdout: manifestText } = await run('tar', ['-xzOf', file, 'package/package.json'], {
    cwd: path.dirname(file),
    logFile,
  });
  const integrity = `sha512-${createHash('sha512')
    .update(await readFile(file))
    .digest('base64')}`;
  return { file, entries, manifest: JSON.parse(manifestText), integrity };
}

/** Every file path an `exports` (or `typesVersions`) map points at. */
function targetsOf(map) {
  if (typeof map === 'string') return [map];
  if (Array.isArray(map)) return map.flatMap(targetsOf);
  if (map && typeof map === 'object') return Object.values(map).flatMap(targetsOf);
  return [];
}

/**
 * Checks what a tarball ships against its workspace package in `packageDir`: `problems` fail the
 * check, `warnings` are worth fixing but break no install.
 */
export function checkContents(tarball, packageDir) {
  const { entries, manifest } = tarball;
  const shipped = new Set(entries);
  const problems = [];
  const warnings = [];
  for (const entry of entries) {
    for (const [pattern, what] of FORBIDDEN) if (pattern.test(entry)) problems.push(`${entry}: ${what}`);
  }
  const declared = [
    manifest.main,
    manifest.types,
    ...targetsOf(manifest.exports),
    ...targetsOf(manifest.typesVersions),
    ...(typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {})),
  ].filter((target) => typeof target === 'string' && !target.includes('*'));
  for (const target of new Set(declared)) {
    const entry = path.posix.normalize(target).replace(/^\.\//, '');
    if (!shipped.has(entry)) problems.push(`${target}: named in package.json but not in the tarball`);
  }
  // tsc -b never deletes outputs of removed sources: a stale dist/ would ship dead modules. The
  // console's bundle (dist/console-ui/, one file built by esbuild from console-ui/src/) is not tsc's.
  const tscOutput = (e) => /^dist\/.*\.(d\.ts|js)$/.test(e) && !e.startsWith('dist/console-ui/');
  for (const entry of entries.filter(tscOutput)) {
    const source = entry.replace(/^dist\//, 'src/').replace(/(\.d)?\.ts$|\.js$/, '.ts');
    if (!existsSync(path.join(packageDir, source))) {
      problems.push(`${entry}: no ${source} (stale build output; rebuild from a clean dist/)`);
    }
  }
  if (!entries.some((e) => /^readme(\.md)?$/i.test(e)))
    warnings.push('no README: the registry page will be empty');
  if (!entries.some((e) => /^(licen[cs]e|copying)(\.\w+)?$/i.test(e))) {
    warnings.push(`no LICENSE file (package.json says ${manifest.license ?? 'nothing'})`);
  }
  for (const pattern of manifest.files ?? []) {
    if (/[*!]/.test(pattern)) continue;
    const name = pattern.replace(/\/$/, '');
    if (!entries.some((e) => e === name || e.startsWith(`${name}/`))) {
      warnings.push(`files lists ${pattern}, which does not exist`);
    }
  }
  if (!entries.some((e) => /^dist\/.*\.js$/.test(e)) || !entries.some((e) => /^dist\/.*\.d\.ts$/.test(e))) {
    problems.push('no compiled JavaScript and declarations under dist/');
  }
  return { problems, warnings };
}

/** publint with warnings counted as errors; resolves to its suggestions (not failures). */
export async function publint(repoRoot, tarball, logFile) {
  const { stdout } = await run(path.join(repoRoot, 'node_modules/.bin/publint'), [tarball.file, '--strict'], {
    cwd: repoRoot,
    logFile,
  });
  const suggestions = stdout.split(/^Suggestions:$/m)[1];
  return suggestions ? suggestions.trim().split('\n') : [];
}

/**
 * @arethetypeswrong/cli with its default (strictest) profile and no ignored problems. Both packages
 * are CommonJS with declarations beside the code, so every mode attw checks applies: node10 reads
 * `typesVersions`, node16 from CommonJS and from ESM both resolve the CommonJS declarations (an ESM
 * importer gets them through Node's CommonJS interop, which is what runs), bundlers use `exports`.
 * Were a package to go dual or ESM-only, revisit this rather than add `--ignore-rules`.
 */
export async function arethetypeswrong(repoRoot, tarball, logFile) {
  await run(path.join(repoRoot, 'node_modules/.bin/attw'), [tarball.file, '--format', 'ascii'], {
    cwd: repoRoot,
    logFile,
  });
}

/**
 * `npm publish --dry-run` against the local registry must print no warning, and `npm pkg fix`
 * must have nothing to change in the shipped package.json (npm would otherwise rewrite fields as it
 * publishes and warn about each).
 */
export async function publishDryRun({ tarball, registry, scratch, logFile }) {
  await mkdir(scratch, { recursive: true });
  const { stdout, stderr } = await run(
    'npm',
    ['publish', tarball.file, '--dry-run', '--registry', `${registry.url}/`, '--userconfig', registry.npmrc],
    { cwd: scratch, logFile },
  );
  const warnings = `${stdout}\n${stderr}`.split('\n').filter((line) => /^npm warn/i.test(line));
  const fixDir = path.join(scratch, 'pkg-fix');
  await mkdir(fixDir, { recursive: true });
  const file = path.join(fixDir, 'package.json');
  await writeFile(file, JSON.stringify(tarball.manifest, null, 2));
  await run('npm', ['pkg', 'fix', '--userconfig', registry.npmrc], { cwd: fixDir, logFile });
  const fixed = JSON.parse(await readFile(file, 'utf8'));
  const changed = Object.keys({ ...fixed, ...tarball.manifest }).filter(
    (key) => !isDeepStrictEqual(fixed[key], tarball.manifest[key]),
  );
  const problems = [
    ...warnings,
    ...changed.map((key) => `npm pkg fix rewrites "${key}": ${JSON.stringify(fixed[key])}`),
  ];
  if (problems.length > 0) throw new Error(`${tarball.manifest.name}:\n  ${problems.join('\n  ')}`);
}

/** Publishes to the local registry, then checks the registry serves exactly this tarball. */
export async function publish({ tarball, registry, scratch, logFile }) {
  await mkdir(scratch, { recursive: true });
  await run(
    'npm',
    ['publish', tarball.file, '--registry', `${registry.url}/`, '--userconfig', registry.npmrc],
    {
      cwd: scratch,
      logFile,
    },
  );
  const { name, version } = tarball.manifest;
  const response = await fetch(`${registry.url}/${name}`);
  if (!response.ok)
    throw new Error(`the registry does not serve ${name} after publishing: ${response.status}`);
  const served = (await response.json()).versions?.[version]?.dist?.integrity;
  if (served !== tarball.integrity) {
    throw new Error(
      `the registry serves ${name}@${version} with integrity ${served}, not ${tarball.integrity}`,
    );
  }
}

/** The version a workspace package is at, read from its package.json. */
export function workspaceManifest(packageDir) {
  return JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
}
