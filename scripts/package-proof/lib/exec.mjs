// Child processes for the package proof: every command's whole output goes to a log file, and a
// failure throws with the command, its exit and the tail of its output (the log has the rest).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';

/** Lines of output quoted in a failure message. */
const TAIL_LINES = 40;

// Process groups started here and still running, so an interrupted proof can end them.
const running = new Set();

/** Ends every command this process started that is still running (on SIGINT, SIGTERM). */
export function killRunning() {
  for (const pid of running) killGroup(pid, 'SIGKILL');
}

/** A command that exited non-zero, timed out or could not start. */
class CommandError extends Error {
  constructor(message, { stdout = '', stderr = '', code = null } = {}) {
    super(message);
    this.name = 'CommandError';
    this.stdout = stdout;
    this.stderr = stderr;
    this.code = code;
  }
}

/**
 * The environment children get: this process's, without what `npm run` exported for the
 * workspace (npm_config_local_prefix and friends would point the apps' npm at the repository,
 * and env config outranks the apps' own .npmrc), with `extra` on top. The user's npm config
 * (~/.npmrc) stays: on this machine it tells node-gyp where Node's headers are.
 */
export function childEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'INIT_CWD' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

/** Last `count` non-empty lines of `text`. */
function tail(text, count = TAIL_LINES) {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/**
 * Runs `command args` in `cwd`, resolving to `{ stdout, stderr, ms }`. Throws `CommandError` on a
 * non-zero exit (unless `allowFailure`) or after `timeoutMs`, killing the command's process group.
 */
export async function run(command, args, options) {
  const { cwd, env = childEnv(), timeoutMs = 10 * 60_000, logFile, allowFailure = false } = options;
  await mkdir(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`$ (cd ${cwd} && ${[command, ...args].join(' ')})\n`);
  const started = performance.now();
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    log.write(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    log.write(chunk);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid, 'SIGKILL');
  }, timeoutMs);
  const code = await new Promise((resolve) => {
    child.on('error', (error) => {
      stderr += `\n${error.message}`;
      resolve(null);
    });
    child.on('close', (exit) => resolve(exit));
  });
  clearTimeout(timer);
  running.delete(child.pid);
  const ms = performance.now() - started;
  log.write(`\n[exit ${code}${timedOut ? ', timed out' : ''} after ${(ms / 1000).toFixed(1)} s]\n\n`);
  await new Promise((resolve) => log.end(resolve));
  if ((code !== 0 || timedOut) && !allowFailure) {
    const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : `exited ${code}`;
    const output = tail(`${stdout}\n${stderr}`);
    throw new CommandError(`\`${[command, ...args].join(' ')}\` ${why} (log: ${logFile})\n${output}`, {
      stdout,
      stderr,
      code,
    });
  }
  return { stdout, stderr, code, ms };
}

/** Starts a long-running command (a server) in its own process group; `killRunning` ends it too. */
export function spawnServer(command, args, { cwd, env = childEnv(), out }) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', out, out], detached: true });
  running.add(child.pid);
  child.on('exit', () => running.delete(child.pid));
  return child;
}

/** Signals the process group led by `pid` (the commands run here lead their own). */
export function killGroup(pid, signal) {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** A TCP port free on loopback right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it resolves truthy, or throws `what` after `timeoutMs`. */
export async function waitUntil(check, { timeoutMs, what, intervalMs = 200 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      // Not yet, unless the check says waiting is pointless.
      if (error?.fatal) throw error;
    }
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
