import { EXOTEL_EVENT_TYPES, exotelEventJsonSchemas, OnExotelEvent, type ExotelEvent } from 'nestjs-exotel';
import { EventPublisher, ExotelDatabase, OutboxRelay } from 'nestjs-exotel/internal';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import Ajv2020 from 'ajv/dist/2020';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import addFormats from 'ajv-formats';
import { compileExotel } from '../support/exotel-test-module';
import { callOutcomeUnknown, callRequested } from '../support/sample-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

@Injectable()
class Capture {
  readonly events: ExotelEvent[] = [];

  @OnExotelEvent('*')
  on(event: ExotelEvent): void {
    this.events.push(event);
  }
}

// The JSON Schemas are generated from the same zod schemas the publisher checks, so an event as
// it is delivered validates against its published schema, in any language's validator.
describe('event JSON Schemas', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const schemas = exotelEventJsonSchemas();

  beforeAll(async () => {
    database = await createTestDatabase();
    moduleRef = await compileExotel(database, {}, [Capture]);
  });

  afterAll(async () => {
    await moduleRef.close();
    await database.drop();
  });

  it('exist for every catalogued type and compile', () => {
    expect(Object.keys(schemas).sort()).toEqual([...EXOTEL_EVENT_TYPES].sort());
    for (const type of EXOTEL_EVENT_TYPES) expect(() => ajv.compile(schemas[type])).not.toThrow();
  });

  it('are committed up to date in docs/event-schemas (npm run schemas)', () => {
    const directory = join(__dirname, '../../docs/event-schemas');
    expect(readdirSync(directory).sort()).toEqual(EXOTEL_EVENT_TYPES.map((type) => `${type}.json`).sort());
    for (const type of EXOTEL_EVENT_TYPES) {
      expect(JSON.parse(readFileSync(join(directory, `${type}.json`), 'utf8'))).toEqual(schemas[type]);
    }
  });

  it('accept events as they are delivered, and reject a broken one', async () => {
    await moduleRef
      .get(ExotelDatabase)
      .transaction((manager) =>
        moduleRef.get(EventPublisher).publish(manager, [callRequested('c-1'), callOutcomeUnknown('c-1')]),
      );
    await moduleRef.get(OutboxRelay).drain();
    const delivered = moduleRef.get(Capture).events;
    expect(delivered).toHaveLength(2);
    for (const event of delivered) {
      const validate = ajv.compile(schemas[event.type as keyof typeof schemas]);
      expect(validate(JSON.parse(JSON.stringify(event)))).toBe(true);
    }
    const broken = { ...delivered[0], data: { callId: 'c-1' } };
    expect(ajv.compile(schemas['call.requested'])(broken)).toBe(false);
    // Consumers must accept fields added later.
    const extended = { ...delivered[0], data: { ...(delivered[0].data as object), addedLater: true } };
    expect(ajv.compile(schemas['call.requested'])(extended)).toBe(true);
  });
});
