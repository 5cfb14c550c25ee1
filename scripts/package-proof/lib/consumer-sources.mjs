// The consumer-only project of the package proof: a service that only reads the Kafka topics
// installs nestjs-exotel (and kafkajs), type-checks a handler of `exophone.health_changed` against
// `nestjs-exotel/events`, and imports that entry point without loading the database or HTTP platform.

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * What importing `nestjs-exotel/events` must not load, as path fragments of the scripts V8
 * compiles: TypeORM and its Nest module, Nest's HTTP platform (the Express platform, Express and
 * body-parser), and kafkajs, which the events entry point loads only when a consumer connects.
 * `@nestjs/core` is allowed: the Kafka consumer is a Nest module (it discovers the app's
 * `@OnExotelEvent()` handlers), and Nest 12's core is one ES module that loads whole (its router
 * files included) for any Nest app, a Kafka-only one too.
 */
export const FORBIDDEN_SCRIPTS = [
  ['typeorm', '/node_modules/typeorm/'],
  ['@nestjs/typeorm', '/node_modules/@nestjs/typeorm/'],
  ['@nestjs/platform-express', '/node_modules/@nestjs/platform-express/'],
  ['express', '/node_modules/express/'],
  ['body-parser', '/node_modules/body-parser/'],
  ['kafkajs', '/node_modules/kafkajs/'],
];

const HANDLER = `import { Injectable } from '@nestjs/common';
import {
  OnExotelEvent,
  isExotelEventType,
  type ExotelEventData,
  type ExotelEventOf,
} from 'nestjs-exotel/events';

/** The envelope and the payload of one ExoPhone's change of health, as the topic carries them. */
type HealthChanged = ExotelEventOf<'exophone.health_changed'>;
type HealthChangedData = ExotelEventData<'exophone.health_changed'>;

/** Reads every field of the payload with the type a consumer would expect. */
export function describeHealthChange(event: HealthChanged): string {
  const data: HealthChangedData = event.data;
  const sid: string = data.exoPhoneSid;
  const direction: 'incoming' | 'outgoing' = data.direction;
  const source: 'heartbeat' | 'sweep' | 'inventory' | 'manual' = data.source;
  const phoneNumber: string | null = data.phoneNumber;
  const region: string | null = data.region;
  const alternates: readonly string[] = data.alternateExoPhones;
  const customerFacing: boolean = data.customerFacing;
  const observedAt: string = data.observedAt;
  const change = \`\${data.previous} -> \${data.current}\`;
  return [event.subject, sid, direction, change, source, phoneNumber, region, alternates.join(','), customerFacing, observedAt].join(' ');
}

@Injectable()
export class HealthAlerts {
  readonly seen: string[] = [];

  @OnExotelEvent('exophone.health_changed')
  onHealthChanged(event: HealthChanged): void {
    this.seen.push(describeHealthChange(event));
  }
}

// The types are exact, not \`any\`: each of these must be an error.
// @ts-expect-error direction is 'incoming' | 'outgoing'
export const wrongDirection: HealthChangedData['direction'] = 'sideways';
// @ts-expect-error the payload has no such field
export const noSuchField = (event: HealthChanged): unknown => event.data.noSuchField;
// @ts-expect-error not a catalogued event type
export const unknownType: Parameters<typeof OnExotelEvent>[0] = 'exophone.exploded';

export const catalogued: boolean = isExotelEventType('exophone.health_changed');
`;

// Lists every script V8 compiles while nestjs-exotel/events loads, through the inspector: it sees
// CommonJS and ES modules alike, including what require(esm) loads, where require.cache holds only
// CommonJS and Node 20's loader hooks never see the modules a require() pulls in.
const CHECK_LOADED = `import { Session } from 'node:inspector';
import { createRequire } from 'node:module';

const [mode, forbiddenJson] = process.argv.slice(2);
const forbidden = JSON.parse(forbiddenJson);
const session = new Session();
session.connect();
const scripts = new Set();
session.on('Debugger.scriptParsed', ({ params }) => params.url && scripts.add(params.url));
await new Promise((resolve, reject) => session.post('Debugger.enable', (error) => (error ? reject(error) : resolve())));

const events =
  mode === 'require' ? createRequire(import.meta.url)('nestjs-exotel/events') : await import('nestjs-exotel/events');

// Use it as a consumer would: the catalogue, and an event through the Kafka message codec.
const problems = [];
if (!events.isExotelEventType('exophone.health_changed')) problems.push('exophone.health_changed is not catalogued');
if (!events.EXOTEL_EVENT_TYPES.includes('call.initiated')) problems.push('call.initiated is not catalogued');
const event = {
  specversion: '1.0',
  id: '01JQ7Z0000000000000000000A',
  source: 'urn:proof',
  type: 'exophone.health_changed',
  subject: 'exo-proof',
  time: new Date(0).toISOString(),
  datacontenttype: 'application/json',
  sequence: 1,
  data: { direction: 'outgoing', current: 'major_outage' },
};
const message = events.toKafkaMessage(event);
const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, Buffer.from(String(v))]));
const back = events.fromKafkaMessage({ key: Buffer.from(message.key), value: Buffer.from(message.value), headers });
if (back.id !== event.id || back.type !== event.type || back.data.current !== 'major_outage') {
  problems.push(\`the Kafka codec lost the event: \${JSON.stringify(back)}\`);
}
await new Promise((resolve) => setImmediate(resolve));
session.disconnect();

const packages = new Set();
for (const url of scripts) {
  const match = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(url);
  if (match) packages.add(match[1]);
}
const loadedForbidden = forbidden
  .map(([name, fragment]) => [name, [...scripts].filter((url) => url.includes(fragment)).length])
  .filter(([, count]) => count > 0)
  .map(([name, count]) => \`\${name} (\${count} scripts)\`);
console.log(JSON.stringify({ mode, scripts: scripts.size, packages: [...packages].sort(), loadedForbidden, problems }));
process.exitCode = loadedForbidden.length > 0 || problems.length > 0 ? 1 : 0;
`;

/** Every file of the consumer-only project. */
export function consumerFiles({ packages }) {
  return {
    'package.json': json({
      name: 'proof-events-consumer',
      version: '0.0.0',
      private: true,
      type: 'module',
      dependencies: { 'nestjs-exotel': packages['nestjs-exotel'], kafkajs: '^2.2.4' },
      devDependencies: { '@types/node': '^20.19.0', typescript: '^6.0.2' },
    }),
    'tsconfig.json': json({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'ES2023',
        strict: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        isolatedModules: true,
        noEmit: true,
        // Declarations are checked too: ours, and what they pull in (zod, @nestjs/common, kafkajs).
        skipLibCheck: false,
        types: ['node'],
      },
      include: ['health-alerts.ts'],
    }),
    'health-alerts.ts': HANDLER,
    'check-loaded.mjs': CHECK_LOADED,
  };
}
