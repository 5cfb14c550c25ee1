import { ExotelSimulator } from 'exotel-simulator';
import { Body, Controller, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExotelModule, useExotelBodyParsers } from 'nestjs-exotel';
import { ExotelDatabase, HeartbeatIngestion } from 'nestjs-exotel/internal';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_MANAGEMENT, TEST_WEBHOOKS, typeOrmFor } from '../support/test-modules';

/** A host route at a path the module's management API would take if it sat at the root. */
@Controller('calls')
class HostCallsController {
  @Post()
  create(@Body() body: unknown): { host: true; body: unknown } {
    return { host: true, body };
  }
}

const SECRET = TEST_WEBHOOKS.secrets[0];
const KEY = TEST_MANAGEMENT.apiKeys[0];

/** A heartbeat of `count` ExoPhones, every one fine: about 280 bytes each. */
function heartbeatOf(count: number, timestamp: string): string {
  const data: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const sid = `exo${String(i).padStart(7, '0')}`;
    data[sid] = {
      phone_number: `+9180${String(i).padStart(8, '0')}`,
      connectivity: {
        incoming_call: { status: 'active', last_check_time: timestamp, alternate_exophone: null },
        outgoing_call: { status: 'active', last_check_time: timestamp, alternate_exophone: null },
      },
    };
  }
  return JSON.stringify({ timestamp, status_type: 'OK', incoming_affected: [], outgoing_affected: [], data });
}

/** The documented set-ups: Nest's defaults, `rawBody`, and the library's own parsers. */
const HOSTS: [string, NestApplicationOptions, (app: INestApplication) => void][] = [
  ['Nest defaults (NestFactory.create, body parser on)', {}, () => undefined],
  ['rawBody: true', { rawBody: true }, () => undefined],
  ['bodyParser: false and useExotelBodyParsers', { bodyParser: false }, (app) => useExotelBodyParsers(app)],
];

describe.each(HOSTS)('a host created with %s', (_name, createOptions, configure) => {
  let simulator: ExotelSimulator;
  let database: TestDatabase;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    simulator = new ExotelSimulator();
    const baseUrl = await simulator.start();
    database = await createTestDatabase();

    @Module({
      imports: [
        typeOrmFor(database),
        ExotelModule.forRoot({
          credentials: {
            apiKey: simulator.apiKey,
            apiToken: simulator.apiToken,
            accountSid: simulator.accountSid,
          },
          baseUrl,
          jobs: { enabled: false },
          webhooks: TEST_WEBHOOKS,
          management: TEST_MANAGEMENT,
        }),
      ],
      controllers: [HostCallsController],
    })
    class HostModule {}

    app = await NestFactory.create(HostModule, { logger: false, ...createOptions });
    configure(app);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await simulator?.stop();
    await database?.drop();
  });

  it('accepts a 10 MB heartbeat although the host parser stops at 100 kB, and records it', async () => {
    const timestamp = new Date().toISOString();
    const body = heartbeatOf(37_000, timestamp);
    expect(body.length).toBeGreaterThan(10_000_000);
    const response = await fetch(`${url}/exotel/heartbeat?key=${SECRET}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    const ingestion = app.get(HeartbeatIngestion);
    await ingestion.applyPending();
    const state = await app.get(ExotelDatabase).transaction((manager) => ingestion.state(manager));
    expect(state.lastAppliedTimestamp?.toISOString()).toBe(timestamp);
  });

  it('refuses a heartbeat without the secret with 401 before reading its body', async () => {
    const response = await fetch(`${url}/exotel/heartbeat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: heartbeatOf(1, new Date().toISOString()),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'WEBHOOK_UNAUTHORIZED' });
  });

  it('reads status callbacks in each of Exotel encodings (no BODY_ALREADY_READ)', async () => {
    const form = new URLSearchParams({ CallSid: 'CAunknown1', Status: 'completed', EventType: 'terminal' });
    const multipart = new FormData();
    multipart.set('CallSid', 'CAunknown2');
    multipart.set('Status', 'completed');
    multipart.set('EventType', 'terminal');
    const bodies: [string, RequestInit][] = [
      ['urlencoded', { body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }],
      ['multipart', { body: multipart }],
      [
        'json',
        {
          body: JSON.stringify({ CallSid: 'CAunknown3', Status: 'completed', EventType: 'terminal' }),
          headers: { 'Content-Type': 'application/json' },
        },
      ],
    ];
    for (const [encoding, init] of bodies) {
      const response = await fetch(`${url}/exotel/callback/status?key=${SECRET}`, {
        method: 'POST',
        ...init,
      });
      expect([encoding, response.status]).toEqual([encoding, 200]);
      expect(await response.json()).toMatchObject({ received: true });
    }
  });

  it('mounts the management API under /exotel, leaving /calls to the host', async () => {
    const auth = { Authorization: `Bearer ${KEY}` };
    const list = await fetch(`${url}/exotel/calls`, { headers: auth });
    expect(list.status).toBe(200);
    expect(Array.isArray(((await list.json()) as { items: unknown }).items)).toBe(true);

    const host = await fetch(`${url}/calls`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(host.status).toBe(201);
    expect(await host.json()).toEqual({ host: true, body: { hello: 'world' } });
  });

  it("validates the module's own routes without any global pipe or filter from the host", async () => {
    const response = await fetch(`${url}/exotel/calls`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: 'not a number', unexpected: true }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
