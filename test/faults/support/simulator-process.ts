import { ManagedProcess } from './managed-process';

/** Credentials the standalone simulator accepts (its defaults). */
export const SIM_ACCOUNT = { sid: 'sim-account', apiKey: 'sim-key', apiToken: 'sim-token' } as const;

/** Settings of the standalone simulator (CLI flags). */
export interface SimulatorSettings {
  readonly exoPhones?: number;
  readonly speed?: number;
  readonly seed?: number;
  /** @default false: answer at once (scenarios slow it with faults) */
  readonly latency?: boolean;
  /** @default false: the scenarios inject their own 429s */
  readonly rateLimits?: boolean;
  /** Voice requests per sliding minute with `rateLimits` (the simulator's default: Exotel's 200). */
  readonly voicePerMinute?: number;
}

/** An ExoPhone as `GET /_sim/exophones` lists it. */
export interface SimExoPhone {
  readonly sid: string;
  readonly phoneNumber: string;
  readonly incoming: string;
  readonly outgoing: string;
}

/** A call as `GET /_sim/calls` lists it (the fields the scenarios read). */
export interface SimCallRecord {
  readonly sid: string;
  readonly params: { readonly customField?: string };
}

/** `node libs/exotel-simulator/dist/cli/cli.js` on a free loopback port, driven by its control API. */
export class SimulatorProcess {
  private constructor(
    readonly process: ManagedProcess,
    readonly baseUrl: string,
  ) {}

  static async start(settings: SimulatorSettings = {}): Promise<SimulatorProcess> {
    const args = [
      ['--port', '0'],
      ['--host', '127.0.0.1'],
      ['--exophones', String(settings.exoPhones ?? 8)],
      ['--speed', String(settings.speed ?? 1)],
      ['--seed', String(settings.seed ?? 20181022)],
      ['--latency', settings.latency ? 'on' : 'off'],
      ['--rate-limits', settings.rateLimits ? 'on' : 'off'],
      settings.voicePerMinute ? ['--voice-per-minute', String(settings.voicePerMinute)] : [],
    ].flat();
    const child = ManagedProcess.node('simulator', 'libs/exotel-simulator/dist/cli/cli.js', args, {});
    const [, address] = await child.waitForLine(/listening on (\S+:\d+)/);
    return new SimulatorProcess(child, `http://${address}`);
  }

  /** Calls the control API (`/_sim/...`) and answers the JSON it returns. */
  async control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator ${method} /_sim${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  exoPhones(): Promise<SimExoPhone[]> {
    return this.control('GET', '/exophones');
  }

  calls(): Promise<SimCallRecord[]> {
    return this.control('GET', '/calls');
  }

  setHealth(sid: string, direction: 'incoming' | 'outgoing' | 'both', status: string): Promise<unknown> {
    return this.control('PUT', `/exophones/${sid}/health`, { direction, status });
  }

  /** Sends one heartbeat to `url` now; resolves once it was delivered (or given up). */
  emitHeartbeat(url: string): Promise<{ ok: boolean; timestamp: string }> {
    return this.control('POST', '/heartbeat/emit', { url });
  }

  async stop(): Promise<void> {
    this.process.signal('SIGTERM');
    await this.process.exited;
  }
}
