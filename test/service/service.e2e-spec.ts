import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestService, TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';

describe('reference service (e2e)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService();
  });

  afterAll(async () => {
    await service.close();
  });

  it('answers the Kubernetes probes', async () => {
    for (const probe of ['live', 'ready', 'startup']) {
      const response = await fetch(`${service.url}/health/${probe}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok' });
    }
    const ready = (await (await fetch(`${service.url}/health/ready`)).json()) as {
      details: Record<string, { status: string }>;
    };
    expect(ready.details.database.status).toBe('up');
    // Kafka is not configured here: events go to in-process handlers only, and the outbox is healthy.
    expect(ready.details.outbox).toMatchObject({
      status: 'up',
      kafkaConnection: 'disabled',
      inProcess: { pending: 0 },
    });
  });

  it('serves the OpenAPI document and its UI', async () => {
    const ui = await fetch(`${service.url}/docs`);
    expect(ui.status).toBe(200);
    const document = (await (await fetch(`${service.url}/docs/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/health/live', '/health/ready', '/health/startup']),
    );
    // docs/openapi.json is what readers and client generators see: `npm run openapi` refreshes it.
    const committed = JSON.parse(readFileSync(join(process.cwd(), 'docs/openapi.json'), 'utf8')) as unknown;
    expect(document).toEqual(committed);
  });

  it('exposes Prometheus metrics', async () => {
    const response = await fetch(`${service.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(/exotel_outbox_pending_events\{target="inProcess"\} \d+/);
  });

  it('answers every error with { code, message, requestId } and echoes the request id', async () => {
    const missing = await fetch(`${service.url}/no/such/route`, { headers: { 'X-Request-Id': 'req-123' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe('req-123');
    expect(await missing.json()).toEqual({
      code: 'NOT_FOUND',
      message: expect.any(String),
      requestId: 'req-123',
    });

    const malformed = await fetch(`${service.url}/no/such/route`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{',
    });
    expect(malformed.status).toBe(400);
    const body = (await malformed.json()) as { code: string; requestId: string };
    expect(body.code).toBe('MALFORMED_BODY');
    expect(body.requestId).toBe(malformed.headers.get('x-request-id'));

    const large = await fetch(`${service.url}/no/such/route`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ blob: 'x'.repeat(200_000) }),
    });
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('keeps secrets out of request logs: every query value but known-safe filters is redacted', async () => {
    const secret = 'qs-secret-value-0123456789';
    await fetch(
      `${service.url}/no/such/route?key=${TEST_WEBHOOK_SECRET}&access_token=${secret}1&key[]=${secret}2` +
        `&key%5B%5D=${secret}3&${secret}4&status=failed&limit=5`,
      { headers: { Authorization: 'Bearer top-secret-value' } },
    );
    const text = service.logs.text();
    expect(text).toContain(
      '/no/such/route?key=[redacted]&access_token=[redacted]&key[]=[redacted]&key%5B%5D=[redacted]' +
        '&[redacted]&status=failed&limit=5',
    );
    expect(text).not.toContain(TEST_WEBHOOK_SECRET);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('top-secret-value');
  });
});
