import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { EventPublisher, ExotelDatabase } from 'nestjs-exotel/internal';
import { ExotelModule, SupportSlaService } from 'nestjs-exotel';
import { OutboxTail } from '../../libs/exotel/src/console/outbox-tail';
import { compileExotel } from '../support/exotel-test-module';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_CREDENTIALS, TEST_MANAGEMENT, TEST_WEBHOOKS, typeOrmFor } from '../support/test-modules';
import { SseClient } from './sse-client';

// Several replicas on one PostgreSQL: an event is dispatched in-process on one replica only, so
// the console's feed reads the outbox itself, and a console sees what any replica commits.
describe('the console feed across replicas (PostgreSQL)', () => {
  let database: TestDatabase;
  let replicas: TestingModule[];
  let app: INestApplication;
  let url: string;

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    // One after the other: the first runs the migrations; jobs on, so each relay dispatches.
    replicas = [await compileExotel(database, { jobs: { enabled: true } })];
    const b = await Test.createTestingModule({
      imports: [
        typeOrmFor(database),
        ExotelModule.forRoot({
          credentials: TEST_CREDENTIALS,
          baseUrl: 'http://127.0.0.1:9',
          management: TEST_MANAGEMENT,
          webhooks: TEST_WEBHOOKS,
        }),
      ],
    }).compile();
    replicas.push(b);
    app = b.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/exotel/console`;
  });

  afterEach(async () => {
    await app.close();
    await replicas[0].close();
    await database.drop();
  });

  it('streams to a console on replica B the ticket opened on replica A', async () => {
    const signIn = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ key: TEST_MANAGEMENT.apiKeys[0] }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const stream = await SseClient.open(`${url}/api/stream`, { Cookie: cookie });
    try {
      await stream.next((m) => m.event === 'ready');
      const ticket = await replicas[0].get(SupportSlaService).open({ title: 'Calls failing', severity: 1 });
      const message = await stream.next((m) => m.event === 'exotel');
      expect(message.data).toMatchObject({ type: 'ticket.created', subject: ticket.id });
      expect(message.id).toMatch(/^[\w-]+\.\d+$/);
    } finally {
      stream.close();
    }
  });

  // PostgreSQL hands out positions at insert: a transaction that commits after a later one leaves a
  // hole the tail must come back to.
  it('reads an event committed after a later one', async () => {
    const db = replicas[0].get(ExotelDatabase);
    const events = replicas[0].get(EventPublisher);
    const missed = (subject: string) => ({
      type: 'heartbeat.missed' as const,
      subject,
      data: { lastHeartbeatAt: null, expectedEverySeconds: 60, silentForSeconds: 120 },
    });
    const tail = new OutboxTail(db, { batchSize: 50, holeWaitMs: 30_000, maxHoles: 100 });
    await tail.next();
    let inserted!: () => void;
    let release!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = db.transaction(async (m) => {
      await events.publish(m, missed('slow'));
      inserted();
      await gate;
    });
    await insertedSignal;
    await db.transaction((m) => events.publish(m, missed('fast')));
    expect((await tail.next()).map((e) => e.subject)).toEqual(['fast']);
    release();
    await slow;
    expect((await tail.next()).map((e) => e.subject)).toEqual(['slow']);
    expect(await tail.next()).toEqual([]);
  });
});
