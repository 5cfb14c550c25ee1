import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_POSTGRES_URL, USE_POSTGRES } from '../../support/postgres';
import { admin } from '../../support/test-database';
import { until } from '../../support/until';

/** The service's data, SQLite file or a private PostgreSQL database, for child processes. */
export interface ChildDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh database that outlives a service process (`TEST_DATABASE` picks the kind). */
export async function createChildDatabase(): Promise<ChildDatabase> {
  if (!USE_POSTGRES) {
    const dir = mkdtempSync(join(tmpdir(), 'exotel-service-'));
    return {
      url: `sqlite:${join(dir, 'exotel.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `svc_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** The reference service's `main.ts` in a process of its own (TypeScript run as is), to signal. */
export class ServiceChild {
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts it with `env` on `port`; resolves once `/health/ready` answers 200. */
  static async start(port: number, env: Record<string, string>): Promise<ServiceChild> {
    const child = spawn(
      process.execPath,
      ['-r', './test/support/ts-register.js', 'apps/exotel-service/src/main.ts'],
      {
        cwd: process.cwd(),
        env: {
          PATH: process.env.PATH ?? '',
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const service = new ServiceChild(child, `http://127.0.0.1:${port}`);
    let exited = false;
    void service.exited.then(() => (exited = true));
    await until(async () => {
      if (exited) throw new Error(`the service exited while starting:\n${service.output}`);
      const response = await fetch(`${service.url}/health/ready`).catch(() => undefined);
      return response?.status === 200;
    }, 90_000);
    return service;
  }

  /** Everything it wrote, stdout and stderr. */
  get logs(): string {
    return this.output;
  }

  /** Its JSON log lines. */
  lines(): Record<string, unknown>[] {
    return this.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Ends it for good (test clean-up). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
