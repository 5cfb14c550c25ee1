import fc from 'fast-check';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { ExoPhoneInventory } from 'nestjs-exotel/internal';
import { callManagementApi } from '../support/management-api';
import { startTestService, TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';
import { ScriptedAgent } from '../voice/voice-test-agent';
import { mutated, nastyText, nastyValue } from './adversarial-inputs';
import { fuzzTargets, type FuzzRequest, type FuzzTarget } from './fuzz-targets';

// Malformed and adversarial input for every webhook and the management API, over real HTTP to the
// reference service, on the database TEST_DATABASE names. FUZZ_RUNS inputs per target (the fault
// suite runs 10,000), from FUZZ_SEED; a failure names both, which reproduce it.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 170_017);
/** No request may hold the event loop longer than this (a behaviour bound: a loop never walks for long). */
const MAX_LOOP_BLOCK_MS = 100;

interface Finding {
  readonly target: string;
  readonly problem: string;
  readonly request: string;
}

describe(`edge fuzzing (${RUNS} inputs per target, seed ${SEED})`, () => {
  let service: TestService;
  let loop: IntervalHistogram;
  const findings: Finding[] = [];
  const counts: Record<string, Record<number, number>> = {};
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  beforeAll(async () => {
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
    service = await startTestService({
      providers: [ScriptedAgent],
      env: { EXOTEL_CALLER_ID: '08047491899' },
    });
    loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    console.log(
      `edge fuzz: FUZZ_RUNS=${RUNS} FUZZ_SEED=${SEED} (database ${process.env.TEST_DATABASE ?? 'sqlite'})`,
    );
  }, 60_000);

  afterAll(async () => {
    loop?.disable();
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
    console.log(`edge fuzz statuses: ${JSON.stringify(counts)}`);
    await service?.close();
  });

  /** Sends a request; the largest event-loop delay seen while it was served, in ms. */
  async function send(request: FuzzRequest): Promise<{ status: number; blockedMs: number }> {
    const separator = request.path.includes('?') ? '&' : '?';
    const url = `${service.url}${request.path}${request.webhook ? `${separator}key=${TEST_WEBHOOK_SECRET}` : ''}`;
    loop.reset();
    const response = await fetch(url, {
      method: request.method,
      redirect: 'manual',
      headers: {
        ...(request.webhook ? {} : service.auth),
        ...(request.contentType === undefined ? {} : { 'Content-Type': request.contentType }),
        ...request.headers,
      },
      body:
        typeof request.body === 'string' || request.body === undefined
          ? request.body
          : new Uint8Array(request.body),
    });
    await response.arrayBuffer();
    return { status: response.status, blockedMs: loop.max / 1e6 };
  }

  async function fuzz(target: FuzzTarget): Promise<void> {
    const seen: Record<number, number> = (counts[target.name] = {});
    await fc.assert(
      fc.asyncProperty(target.requests, async (request) => {
        let { status, blockedMs } = await send(request);
        // A loaded machine (or a GC) can stall any process now and then; an input that blocks the
        // loop does it every time, so it is sent up to three times before it counts as blocking.
        for (let again = 0; again < 2 && blockedMs > MAX_LOOP_BLOCK_MS; again++)
          ({ status, blockedMs } = await send(request));
        seen[status] = (seen[status] ?? 0) + 1;
        const problem =
          status >= 500
            ? `answered ${status}`
            : blockedMs > MAX_LOOP_BLOCK_MS
              ? `blocked the loop ${Math.round(blockedMs)} ms`
              : null;
        if (problem) findings.push({ target: target.name, problem, request: describeRequest(request) });
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const mine = findings.filter((f) => f.target === target.name);
    expect({ seed: SEED, runs: RUNS, findings: mine.slice(0, 20), total: mine.length }).toEqual({
      seed: SEED,
      runs: RUNS,
      findings: [],
      total: 0,
    });
  }

  const timeout = 60_000 + RUNS * 200;
  let targets: FuzzTarget[] = [];

  it('sets up a ticket, an incident and a call to aim at', async () => {
    // The scope region:KA must name ExoPhones: the start-up inventory sync may still be running.
    await service.app.get(ExoPhoneInventory).sync();
    const ticket = await callManagementApi(service, 'POST', '/tickets', {
      title: 'fuzz target',
      severity: 3,
    });
    const incident = await callManagementApi(service, 'POST', '/incidents', { scope: 'region:KA' });
    const call = await callManagementApi(service, 'POST', '/calls', {
      from: '09876543210',
      to: '09812345678',
    });
    expect([ticket.status, incident.status, call.status]).toEqual([201, 201, 201]);
    targets = fuzzTargets({ ticketId: ticket.body.id, incidentId: incident.body.id, callId: call.body.id });
  });

  for (const name of fuzzTargets({ ticketId: '', incidentId: '', callId: '' }).map((t) => t.name)) {
    it(
      `${name}: no 5xx, no request blocks the loop`,
      () => fuzz(targets.find((t) => t.name === name)!),
      timeout,
    );
  }

  it(
    'stream WebSocket messages: no failure logged, the socket ends cleanly',
    async () => {
      const before = errorLines(service).length;
      const start = mutated(
        {
          stream_sid: 'stream-fuzz',
          call_sid: 'callfuzz01',
          account_sid: 'acme',
          from: '09876543210',
          to: '08047491899',
          custom_parameters: { agent: 'scripted' },
          media_format: { encoding: 'base64', sample_rate: '8000', bit_rate: '128kbps' },
        },
        nastyValue,
      ).map((fields) => ({
        event: 'start',
        sequence_number: 1,
        stream_sid: fields.stream_sid,
        start: fields,
      }));
      const frames = fc.array(
        fc.oneof(
          mutated(
            {
              event: 'media',
              media: { payload: Buffer.alloc(320).toString('base64'), chunk: 1, timestamp: '20' },
            },
            nastyValue,
          ),
          mutated({ event: 'dtmf', dtmf: { digit: '5', duration: 100 } }, nastyValue),
          mutated({ event: 'mark', mark: { name: 'm1' } }, nastyValue),
          nastyText.map((text) => text as unknown),
        ),
        { maxLength: 4 },
      );
      await fc.assert(
        fc.asyncProperty(start, frames, hexSid(), async (first, rest, sid) => {
          first.start.call_sid ??= sid;
          await streamOnce(service, [first, ...rest, { event: 'stop', stop: { reason: 'fuzz' } }]);
        }),
        { numRuns: Math.max(20, Math.round(RUNS / 5)), seed: SEED },
      );
      expect(errorLines(service).slice(before)).toEqual([]);
    },
    timeout,
  );

  it('stays healthy: no crash, liveness and readiness answer 200', async () => {
    expect(crashes).toEqual([]);
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
  });
});

function hexSid(): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 });
}

/** Error lines the service logged (the stream gateway logs a failed recording instead of answering). */
function errorLines(service: TestService): string[] {
  return service.logs
    .lines()
    .filter((line) => Number(line.level) >= 50)
    .map((line) => String(line.msg));
}

async function streamOnce(service: TestService, frames: unknown[]): Promise<void> {
  const socket = new WebSocket(
    `${service.url.replace('http', 'ws')}/exotel/stream?key=${TEST_WEBHOOK_SECRET}`,
  );
  await new Promise((resolve, reject) => {
    socket.on('open', resolve);
    socket.on('error', reject);
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  for (const frame of frames) socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  // Let the gateway read every frame, then hang up as Exotel does at the end of a call.
  await new Promise((resolve) => setTimeout(resolve, 20));
  socket.close(1000, 'done');
  await closed;
}

function describeRequest(request: FuzzRequest): string {
  const body = request.body === undefined ? '' : ` ${String(request.body).slice(0, 300)}`;
  return `${request.method} ${request.path.slice(0, 300)} [${request.contentType ?? '-'}]${body}`;
}
