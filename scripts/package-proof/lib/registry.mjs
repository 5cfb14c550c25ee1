// A throwaway npm registry (Verdaccio) for the package proof: our two packages are served from its
// own storage only, everything else comes through its uplink to the public registry.
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { childEnv, freePort, killGroup, run, spawnServer, waitUntil } from './exec.mjs';

/** Verdaccio 6.8 runs on Node 20; pinned exactly, so every run talks to the same registry. */
export const VERDACCIO_VERSION = '6.8.0';

/** The packages published locally; the uplink is never asked for them, so our tarballs win. */
const LOCAL_PACKAGES = ['nestjs-exotel', 'exotel-simulator'];

/**
 * Installs Verdaccio under `cacheRoot` unless a previous run did; resolves to its bin script. The
 * install goes to a scratch directory renamed into place, so an interrupted one is never reused.
 */
export async function ensureVerdaccio(cacheRoot, logFile) {
  const dir = path.join(cacheRoot, `verdaccio-${VERDACCIO_VERSION}`);
  const bin = path.join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  const manifest = path.join(dir, 'node_modules', 'verdaccio', 'package.json');
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).version === VERDACCIO_VERSION) {
    return { bin, cached: true };
  }
  const scratch = `${dir}.${process.pid}.tmp`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  await writeFile(
    path.join(scratch, 'package.json'),
    JSON.stringify({ name: 'proof-verdaccio', private: true }),
  );
  await run(
    'npm',
    [
      'install',
      `verdaccio@${VERDACCIO_VERSION}`,
      '--save-exact',
      '--no-audit',
      '--no-fund',
      '--loglevel=warn',
    ],
    { cwd: scratch, logFile, timeoutMs: 5 * 60_000 },
  );
  await rm(dir, { recursive: true, force: true });
  await rename(scratch, dir);
  return { bin, cached: false };
}

/** Verdaccio's configuration (JSON is YAML too). */
function configOf(root) {
  const local = { access: '$all', publish: '$authenticated', unpublish: '$authenticated' };
  const proxied = { access: '$all', publish: '$authenticated', proxy: 'npmjs' };
  return {
    storage: path.join(root, 'storage'),
    auth: { htpasswd: { file: path.join(root, 'htpasswd'), max_users: 10 } },
    uplinks: {
      npmjs: { url: 'https://registry.npmjs.org/', timeout: '60s', max_fails: 5, fail_timeout: '30s' },
    },
    packages: {
      ...Object.fromEntries(LOCAL_PACKAGES.map((name) => [name, local])),
      '@*/*': proxied,
      '**': proxied,
    },
    web: { enable: false },
    max_body_size: '100mb',
    log: { type: 'stdout', format: 'pretty', level: 'http' },
  };
}

/**
 * Starts Verdaccio on a free loopback port with storage under `root`, creates a throwaway user
 * through its CouchDB-style user API and writes an npmrc holding that user's token. Resolves to
 * `{ url, npmrc, logFile, stop }`.
 */
export async function startRegistry({ bin, root }) {
  await mkdir(root, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = path.join(root, 'config.yaml');
  await writeFile(configFile, JSON.stringify(configOf(root), null, 2));
  const logFile = path.join(root, 'verdaccio.log');
  const out = createWriteStream(logFile);
  await new Promise((resolve) => out.on('open', resolve));
  const child = spawnServer(
    process.execPath,
    [bin, '--config', configFile, '--listen', `127.0.0.1:${port}`],
    {
      cwd: root,
      env: childEnv(),
      out,
    },
  );
  let exited = null;
  child.on('exit', (code, signal) => (exited = signal ?? code));
  const stop = async () => {
    if (exited !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    killGroup(child.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
    out.end();
  };
  try {
    await waitUntil(
      async () => {
        if (exited !== null)
          throw Object.assign(new Error(`Verdaccio exited (${exited}); log: ${logFile}`), { fatal: true });
        return (await fetch(`${url}/-/ping`)).ok;
      },
      { timeoutMs: 60_000, what: `Verdaccio did not answer ${url}/-/ping (log: ${logFile})` },
    );
    const token = await createUser(url);
    const npmrc = path.join(root, 'publish.npmrc');
    await writeFile(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    return { url, npmrc, logFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Registers a user (`npm adduser` would prompt); resolves to its token. */
async function createUser(url) {
  const name = `proof-${randomBytes(4).toString('hex')}`;
  const response = await fetch(`${url}/-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      password: randomBytes(16).toString('hex'),
      email: `${name}@example.invalid`,
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(`Verdaccio refused to create a user: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}
