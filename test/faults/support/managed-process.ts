import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root (the built entry points are run from there). */
export const REPO_ROOT = resolve(__dirname, '../../..');

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** `Date.now()` when it ended. */
  readonly at: number;
}

/** A child process of the suite, with its output kept line by line and its exit awaitable. */
export class ManagedProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<ProcessExit>;
  private exit?: ProcessExit;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly label: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal, at: Date.now() };
        this.notify();
        done(this.exit);
      }),
    );
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString('utf8')).split('\n');
        rest = parts.pop() ?? '';
        this.lines.push(...parts);
        this.notify();
      });
    }
  }

  /** Runs `node <script> ...args` from the repository root with `env` over this process's. */
  static node(label: string, script: string, args: string[], env: Record<string, string>): ManagedProcess {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ManagedProcess(label, child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Resolves to the first line matching `pattern`; rejects if the process ends or `timeoutMs` passes. */
  async waitForLine(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const line of this.lines) {
        const match = pattern.exec(line);
        if (match) return match;
      }
      if (!this.running) throw new Error(`${this.label} exited before printing ${pattern}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${this.label} did not print ${pattern}:\n${this.tail()}`);
      await new Promise<void>((done) => {
        const timer = setTimeout(done, 200);
        this.listeners.add(() => {
          clearTimeout(timer);
          done();
        });
      });
      this.listeners.clear();
    }
  }

  /** Sends `signal` (a no-op once it ended). */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGKILL and wait for the exit. */
  async kill(): Promise<ProcessExit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** The last `count` lines, for error messages. */
  tail(count = 40): string {
    return this.lines.slice(-count).join('\n');
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
