import { type ExotelModuleOptions } from 'nestjs-exotel';
import { ExoPhoneInventory, ExotelDatabase, OutboxEventEntity } from 'nestjs-exotel/internal';
import { ExotelSimulator, type ExotelSimulatorOptions } from 'exotel-simulator';
import {
  freePort,
  startTestService,
  TEST_WEBHOOK_SECRET,
  type TestService,
  type TestServiceOptions,
} from '../support/test-service';

/** A customer's mobile and a second party the simulator answers for. */
export const CUSTOMER = '+919876543210';
export const AGENT = '+919812345678';

/** The reference service against a simulator, with helpers for the calls API. */
export interface CallsHarness {
  readonly service: TestService;
  readonly simulator: ExotelSimulator;
  /** The status callback URL with the secret, as Exotel is given it (when callbacks are on). */
  readonly callbackUrl: string;
  post(
    body: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: CallBody; headers: Headers }>;
  get(id: string): Promise<CallBody>;
  /** Events of `type` about `subject`, oldest first. */
  events(type: string, subject?: string): Promise<OutboxEventEntity[]>;
  /** Calls/connect requests the simulator received. */
  connects(): ReturnType<ExotelSimulator['requests']>;
  close(): Promise<void>;
}

/** A call as the API answers it (the fields the tests read). */
type CallBody = {
  id: string;
  callSid: string | null;
  status: string;
  outcome: string;
  failover: boolean;
  correlationId: string;
  callerId: { requested: string | null; chosen: string | null; rule: string | null; reason: string | null };
  reconciliation: { finding: string; via: string } | null;
  legs: { status: string | null; onCallDurationSeconds: number | null; answeredBy?: string | null }[];
  recordingUrl: string | null;
  attempts: number;
  code?: string;
  message?: string;
  [key: string]: unknown;
};

/** Boots the service; `callbacks: true` gives Exotel the status callback URL. */
export async function startCallsHarness(
  options: {
    callbacks?: boolean;
    simulator?: ExotelSimulatorOptions;
    exotel?: Partial<ExotelModuleOptions>;
    env?: Record<string, string>;
    customize?: TestServiceOptions['customize'];
  } = {},
): Promise<CallsHarness> {
  const simulator = new ExotelSimulator({ speed: 50, ...options.simulator });
  const port = await freePort();
  const callbackUrl = `http://127.0.0.1:${port}/exotel/callback/status?key=${TEST_WEBHOOK_SECRET}`;
  const exotel = options.exotel ?? {};
  const service = await startTestService({
    simulator,
    port,
    customize: options.customize,
    env: { EXOTEL_CALLER_ID: '08047491899', ...options.env },
    overrides: {
      exotel: {
        jobs: { enabled: false },
        ...exotel,
        calls: {
          defaultCallerId: '08047491899',
          statusCallbackUrl: options.callbacks ? callbackUrl : undefined,
          ...exotel.calls,
        },
      },
    },
  });
  // Jobs are off (tests drive them); failover needs the inventory, so sync it once.
  await service.app.get(ExoPhoneInventory).sync();
  const db = service.app.get(ExotelDatabase);
  const harness: CallsHarness = {
    service,
    simulator,
    callbackUrl,
    async post(body, headers = {}) {
      const response = await fetch(`${service.url}/calls`, {
        method: 'POST',
        headers: { ...service.auth, 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        body: (await response.json()) as CallBody,
        headers: response.headers,
      };
    },
    async get(id) {
      const response = await fetch(`${service.url}/calls/${id}`, { headers: service.auth });
      return (await response.json()) as CallBody;
    },
    events: (type, subject) =>
      db.read((m) =>
        m.find(OutboxEventEntity, { where: { type, ...(subject ? { subject } : {}) }, order: { id: 'ASC' } }),
      ),
    connects: () => simulator.requests().filter((r) => r.endpoint === 'connect'),
    close: () => service.close(),
  };
  return harness;
}

export { until } from '../support/until';
