import type { TestingModule } from '@nestjs/testing';
import { HeartbeatIngestion } from '../../libs/exotel/src/heartbeat/heartbeat-ingestion.service';
import { parseHeartbeat } from '../../libs/exotel/src/heartbeat/heartbeat-payload';
import { HeartbeatEntity } from '../../libs/exotel/src/heartbeat/heartbeat.entity';
import { ParsedHeartbeats } from '../../libs/exotel/src/heartbeat/parsed-heartbeats';
import { ManualClock } from '../../libs/exotel/src/jobs/exotel-clock';
import { ExotelDatabase } from '../../libs/exotel/src/persistence/exotel-database';
import { compileExotel } from '../support/exotel-test-module';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const START = new Date('2026-11-23T10:00:00Z');

// Two service instances on one PostgreSQL schema: the one Exotel delivered a heartbeat to is not
// always the one that applies it, and what it parsed must not stay in its memory.
describe('parsed heartbeats with two replicas on one PostgreSQL', () => {
  let database: TestDatabase;
  let replicas: { moduleRef: TestingModule; clock: ManualClock }[];

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    replicas = [];
    // One after the other: the first runs the migrations the second then finds applied.
    for (let i = 0; i < 2; i++) {
      const clock = new ManualClock(START);
      replicas.push({ moduleRef: await compileExotel(database, {}, [], clock), clock });
    }
  });

  afterEach(async () => {
    for (const { moduleRef } of replicas) await moduleRef.close();
    await database.drop();
  });

  /** Delivers an OK heartbeat to `moduleRef` as the webhook does, without applying it. */
  const receive = async (moduleRef: TestingModule) => {
    const body = JSON.stringify({
      timestamp: START.toISOString(),
      status_type: 'OK',
      incoming_affected: null,
      outgoing_affected: null,
      data: {},
    });
    const receipt = await moduleRef.get(HeartbeatIngestion).record(parseHeartbeat(JSON.parse(body)), body);
    return { id: receipt.id, bytes: Buffer.byteLength(body) };
  };

  it('stops holding a heartbeat it received once the other replica applied it', async () => {
    const [receiver, applier] = replicas.map((replica) => replica.moduleRef);
    const heartbeat = await receive(receiver);
    const held = receiver.get(ParsedHeartbeats);
    expect(held.ids()).toEqual([heartbeat.id]);
    expect(held.bytes()).toBe(heartbeat.bytes);

    // The other replica applies it from the stored body; this one then finds nothing to apply.
    await applier.get(HeartbeatIngestion).applyPending();
    const row = await applier
      .get(ExotelDatabase)
      .read((m) => m.findOneByOrFail(HeartbeatEntity, { id: heartbeat.id }));
    expect(row.outcome).toBe('applied');
    await receiver.get(HeartbeatIngestion).applyPending();
    expect(held.ids()).toEqual([]);
    expect(held.bytes()).toBe(0);
  });

  it('stops holding a heartbeat after a few apply ticks even when it never runs a pass', async () => {
    const [{ moduleRef: receiver, clock }] = replicas;
    const heartbeat = await receive(receiver);
    const held = receiver.get(ParsedHeartbeats);
    clock.advance(15_000);
    expect(held.ids()).toEqual([heartbeat.id]);
    clock.advance(5_001);
    expect(held.ids()).toEqual([]);
    expect(held.bytes()).toBe(0);
  });
});
