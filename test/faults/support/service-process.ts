import { createServer, type AddressInfo } from 'node:net';
import { ManagedProcess } from './managed-process';
import { SIM_ACCOUNT } from './simulator-process';

/** Secrets the service processes are configured with. */
const FAULT_WEBHOOK_SECRET = 'fault-webhook-secret-0123456789';
const FAULT_API_KEY = 'fault-management-key-0123456789';

/** What a service process is pointed at. */
export interface ServiceWiring {
  /** Exotel's base URL: the simulator, or a proxy in front of it. */
  readonly exotelBaseUrl: string;
  readonly databaseUrl: string;
  /** Bootstrap servers; no Kafka when absent. */
  readonly kafkaBrokers?: string;
  readonly topicPrefix?: string;
  /** Extra environment (timeouts, budgets). */
  readonly env?: Record<string, string>;
}

/** A loopback port free right now. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An answer of the service's HTTP API. */
export interface ApiAnswer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

/**
 * The built reference service (`node apps/exotel-service/dist/main.js`, what `npm start` runs) as a
 * process of its own: it can be killed with SIGKILL, stopped with SIGTERM and started again on the
 * same port and database.
 */
export class ServiceProcess {
  private constructor(
    readonly process: ManagedProcess,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The heartbeat webhook URL with the secret, as configured in Exotel. */
  get heartbeatUrl(): string {
    return `${this.url}/exotel/heartbeat?key=${FAULT_WEBHOOK_SECRET}`;
  }

  /** Spawns it; `waitStarted()` resolves once migrations ran and it serves. */
  static spawn(wiring: ServiceWiring, port: number, label = 'service'): ServiceProcess {
    const env: Record<string, string> = {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: wiring.databaseUrl,
      EXOTEL_API_KEY: SIM_ACCOUNT.apiKey,
      EXOTEL_API_TOKEN: SIM_ACCOUNT.apiToken,
      EXOTEL_SID: SIM_ACCOUNT.sid,
      EXOTEL_BASE_URL: wiring.exotelBaseUrl,
      EXOTEL_WEBHOOK_SECRET: FAULT_WEBHOOK_SECRET,
      SERVICE_API_KEYS: FAULT_API_KEY,
      LOG_LEVEL: 'info',
      // librdkafka's mock cluster has no idempotent producer.
      KAFKA_IDEMPOTENT: 'false',
      KAFKA_BROKERS: wiring.kafkaBrokers ?? '',
      KAFKA_TOPIC_PREFIX: wiring.topicPrefix ?? 'exotel',
      ...wiring.env,
    };
    return new ServiceProcess(ManagedProcess.node(label, 'apps/exotel-service/dist/main.js', [], env), port);
  }

  /** Spawns it on a free port and waits until it started. */
  static async start(wiring: ServiceWiring, port?: number, label?: string): Promise<ServiceProcess> {
    const service = ServiceProcess.spawn(wiring, port ?? (await freeLoopbackPort()), label);
    await service.waitStarted();
    return service;
  }

  /** Resolves once `/health/startup` answers 200; throws with the log tail if the process ends first. */
  async waitStarted(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.process.running)
        throw new Error(`${this.process.label} exited while starting:\n${this.process.tail()}`);
      const status = await fetch(`${this.url}/health/startup`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      if (Date.now() > deadline)
        throw new Error(`${this.process.label} did not start:\n${this.process.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Calls the management API with the Bearer key. */
  async api(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${FAULT_API_KEY}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, body: parsed };
  }

  /** `GET /health/ready`'s body (200 or 503 alike). */
  async readiness(): Promise<ApiAnswer> {
    return this.api('GET', '/health/ready');
  }

  /** Log lines at level error or fatal, and anything on the output that is not a log line. */
  errorLines(): string[] {
    return this.process.lines.filter((line) => {
      if (line.trim() === '') return false;
      try {
        const level = (JSON.parse(line) as { level?: unknown }).level;
        return level === 'error' || level === 'fatal' || level === 50 || level === 60;
      } catch {
        return true;
      }
    });
  }

  /** SIGTERM and wait for the exit. */
  async stop(): Promise<void> {
    this.process.signal('SIGTERM');
    await this.process.exited;
  }
}
