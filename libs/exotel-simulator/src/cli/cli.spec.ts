import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ScriptedServer } from '../../../../test/support/scripted-server';

const CLI = join(__dirname, 'cli.ts');
// Transpiles the TypeScript sources on load, so the test needs no build.
const TS_REGISTER = join(__dirname, '../../../../test/support/ts-register.js');
// Each child transpiles the simulator's sources on start: seconds, more on a loaded machine.
const SPAWN_TIMEOUT_MS = 90_000;

/** The CLI as a real process (it calls process.exit), with its output collected. */
class CliProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    // Only PATH from this process: a SIMULATOR_* variable of the developer's must not leak in.
    this.child = spawn(process.execPath, ['-r', TS_REGISTER, CLI, ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => this.append('stdout', chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => this.append('stderr', chunk));
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  /** Resolves once stdout contains `text`; rejects if the process ends without printing it. */
  printed(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this.stdout.includes(text)) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
      void this.exited.then(() =>
        this.stdout.includes(text)
          ? resolve()
          : reject(new Error(`exited without printing "${text}"; stderr: ${this.stderr}`)),
      );
    });
  }

  stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }

  private append(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this[stream] += chunk.toString('utf8');
    for (const waiter of [...this.waiters]) waiter();
  }
}

describe('exotel-simulator CLI', () => {
  let blocker: Server | undefined;
  let target: ScriptedServer | undefined;
  let cli: CliProcess | undefined;

  afterEach(async () => {
    if (cli) await cli.stop();
    await target?.stop();
    await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
    cli = target = blocker = undefined;
  });

  it(
    'on a taken port prints one line naming --port and SIMULATOR_PORT and exits 1',
    async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
      const { port } = blocker.address() as AddressInfo;
      cli = new CliProcess(['--port', String(port), '--host', '127.0.0.1']);
      expect(await cli.exited).toBe(1);
      expect(cli.stdout).toBe('');
      expect(cli.stderr).toBe(
        `exotel-simulator: port ${port} is in use on 127.0.0.1; pass --port <n> (0 picks a free one) or set SIMULATOR_PORT\n`,
      );
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'on an unknown flag prints one line and exits 2',
    async () => {
      cli = new CliProcess(['--prot', '4010']);
      expect(await cli.exited).toBe(2);
      expect(cli.stderr).toBe(
        'exotel-simulator: unknown flag --prot (did you mean --port?); exotel-simulator --help lists the flags\n',
      );
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'prints the URL, credentials, caller ids and a curl, and sends the first heartbeat at start',
    async () => {
      target = await new ScriptedServer(() => ({ status: 200 })).start();
      cli = new CliProcess(
        [
          '--port',
          '0',
          '--latency',
          'off',
          // An hour: a heartbeat that arrives now was sent at start, not after an interval.
          '--heartbeat-interval',
          '3600',
        ],
        {
          SIMULATOR_HOST: '127.0.0.1',
          SIMULATOR_HEARTBEAT_URL: `${target.url}/exotel/heartbeat?key=hb-secret`,
        },
      );
      await cli.printed('first heartbeat delivered');

      const banner = cli.stdout;
      const baseUrl = /base URL +(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
      expect(baseUrl).toBeDefined();
      expect(banner).toMatch(/account SID +sim-account/);
      expect(banner).toMatch(/API key +sim-key/);
      expect(banner).toMatch(/API token +sim-token/);
      expect(banner).toContain('8, usable as CallerId: 01139585476 (DL), 08047491899 (KA)');
      expect(banner).toContain(`POST ${target.url}/exotel/heartbeat?key=*** every 3600 s`);
      expect(banner).not.toContain('hb-secret');
      expect(banner).toContain(
        `curl -u sim-key:sim-token ${baseUrl}/v1/Accounts/sim-account/Calls/connect.json ` +
          '-d From=09876543210 -d To=09123456789 -d CallerId=01139585476',
      );

      expect(target.requests).toHaveLength(1);
      const [heartbeat] = target.requests;
      expect(heartbeat).toMatchObject({ method: 'POST', url: '/exotel/heartbeat?key=hb-secret' });
      expect(JSON.parse(heartbeat.body)).toMatchObject({ status_type: 'OK' });

      // The printed example works as printed.
      const connect = await fetch(`${baseUrl}/v1/Accounts/sim-account/Calls/connect.json`, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from('sim-key:sim-token').toString('base64')}` },
        body: new URLSearchParams({ From: '09876543210', To: '09123456789', CallerId: '01139585476' }),
      });
      expect(connect.status).toBe(200);

      expect(await cli.stop()).toBe(0);
      cli = undefined;
    },
    SPAWN_TIMEOUT_MS,
  );
});
