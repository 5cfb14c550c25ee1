import type { NumberScript } from '../calls/number-scripts';
import type { CallDirection, ConnectivityStatus } from '../exophones/exophone-health';
import type { SimulatedFault } from '../faults/fault';
import type { FaultRule } from '../faults/fault-plan';
import type { HeartbeatSettings } from '../heartbeat/heartbeat-emitter';
import type { ExotelSimulator } from '../exotel-simulator';
import { ControlInputError, type ControlRoute } from './control-server';

const STATUSES = new Set(['active', 'partial_network_outage', 'major_outage']);
const DIRECTIONS = new Set(['incoming', 'outgoing', 'both']);

/**
 * The control API (`/_sim/...`), a JSON mirror of the simulator's programmatic API for tests in
 * other processes and for the standalone server:
 *
 * | Route | Does |
 * |---|---|
 * | `GET /_sim` | account SID, speed, seed, inventory size, heartbeat settings |
 * | `POST /_sim/reset` `{seed?}` | back to the initial state |
 * | `PUT /_sim/numbers/:number/script` NumberScript | script a number; `DELETE` forgets it; `DELETE /_sim/numbers` all |
 * | `GET /_sim/calls`, `GET /_sim/calls/:sid` | placed calls; `POST /_sim/calls/:sid/hangup` ends one |
 * | `GET /_sim/exophones` | inventory with both directions' status |
 * | `PUT /_sim/exophones/:sid/health` `{direction, status, alternate?}` | flip connectivity |
 * | `PUT /_sim/heartbeat` `{url, intervalSeconds, shape?, emptyLists?}` | start heartbeats; `DELETE` stops |
 * | `POST /_sim/heartbeat/emit` EmitOptions | send one now, answer the delivery |
 * | `POST /_sim/heartbeat/payload-too-large` `{times?}` | script PAYLOAD_TOO_LARGE |
 * | `POST /_sim/faults` FaultRule or `{faults:[…]}` | inject; `GET` lists; `DELETE` clears |
 * | `GET /_sim/requests`, `/_sim/callbacks`, `/_sim/heartbeats` | recordings |
 */
export function controlRoutes(simulator: ExotelSimulator): ControlRoute[] {
  return [
    {
      method: 'GET',
      pattern: /^\/_sim\/?$/,
      handle: () => ({
        accountSid: simulator.accountSid,
        speed: simulator.options.speed,
        seed: simulator.options.seed,
        exoPhones: simulator.exoPhones().length,
        heartbeat: simulator.heartbeatSettings() ?? null,
      }),
    },
    {
      method: 'POST',
      pattern: /^\/_sim\/reset$/,
      handle: (_p, body) =>
        simulator.reset(optional(body.seed, ['number', 'string'], 'seed') as number | string | undefined),
    },
    {
      method: 'PUT',
      pattern: /^\/_sim\/numbers\/(?<number>[^/]+)\/script$/,
      handle: (params, body) => simulator.scriptNumber(params.number, checkScript(body)),
    },
    {
      method: 'DELETE',
      pattern: /^\/_sim\/numbers\/(?<number>[^/]+)\/script$/,
      handle: (params) => simulator.clearScripts(params.number),
    },
    { method: 'DELETE', pattern: /^\/_sim\/numbers$/, handle: () => simulator.clearScripts() },
    { method: 'GET', pattern: /^\/_sim\/calls$/, handle: () => simulator.calls() },
    {
      method: 'GET',
      pattern: /^\/_sim\/calls\/(?<sid>[^/]+)$/,
      handle: (params) => simulator.call(params.sid) ?? notFound(`No call ${params.sid}`),
    },
    {
      method: 'POST',
      pattern: /^\/_sim\/calls\/(?<sid>[^/]+)\/hangup$/,
      handle: (params) => ({ hungUp: simulator.hangUp(params.sid) }),
    },
    {
      method: 'GET',
      pattern: /^\/_sim\/exophones$/,
      handle: () =>
        simulator.exoPhones().map((phone) => ({
          ...phone,
          incoming: simulator.health(phone.sid, 'incoming'),
          outgoing: simulator.health(phone.sid, 'outgoing'),
        })),
    },
    {
      method: 'PUT',
      pattern: /^\/_sim\/exophones\/(?<sid>[^/]+)\/health$/,
      handle: (params, body) => {
        const direction = body.direction ?? 'both';
        const status = body.status;
        if (typeof direction !== 'string' || !DIRECTIONS.has(direction))
          throw new ControlInputError('direction must be incoming, outgoing or both');
        if (typeof status !== 'string' || !STATUSES.has(status))
          throw new ControlInputError('status must be active, partial_network_outage or major_outage');
        if (!simulator.exoPhones().some((phone) => phone.sid === params.sid))
          notFound(`No ExoPhone ${params.sid}`);
        const alternate = body.alternate as string | string[] | null | undefined;
        simulator.setHealth(params.sid, direction as CallDirection | 'both', status as ConnectivityStatus, {
          alternate,
        });
      },
    },
    {
      method: 'PUT',
      pattern: /^\/_sim\/heartbeat$/,
      handle: (_p, body) => {
        if (typeof body.url !== 'string') throw new ControlInputError('url is required');
        if (typeof body.intervalSeconds !== 'number' || !(body.intervalSeconds > 0)) {
          throw new ControlInputError('intervalSeconds must be a positive number');
        }
        simulator.setHeartbeat(body as unknown as HeartbeatSettings);
      },
    },
    { method: 'DELETE', pattern: /^\/_sim\/heartbeat$/, handle: () => simulator.setHeartbeat(undefined) },
    {
      method: 'POST',
      pattern: /^\/_sim\/heartbeat\/emit$/,
      handle: (_p, body) => {
        if (typeof body.url !== 'string' && !simulator.heartbeatSettings()) {
          throw new ControlInputError('No heartbeat URL: PUT /_sim/heartbeat first or pass url');
        }
        return simulator.emitHeartbeatNow(body);
      },
    },
    {
      method: 'POST',
      pattern: /^\/_sim\/heartbeat\/payload-too-large$/,
      handle: (_p, body) =>
        simulator.scriptPayloadTooLarge(
          (optional(body.times, ['number'], 'times') as number | undefined) ?? 1,
        ),
    },
    {
      method: 'POST',
      pattern: /^\/_sim\/faults$/,
      handle: (_p, body) => {
        if (Array.isArray(body.faults)) return simulator.injectFaults(body.faults as SimulatedFault[]);
        if (!body.fault || typeof body.fault !== 'object')
          throw new ControlInputError('fault (an object) or faults (a list) is required');
        return simulator.injectFaults(body as unknown as FaultRule);
      },
    },
    { method: 'GET', pattern: /^\/_sim\/faults$/, handle: () => simulator.activeFaults() },
    { method: 'DELETE', pattern: /^\/_sim\/faults$/, handle: () => simulator.clearFaults() },
    { method: 'GET', pattern: /^\/_sim\/requests$/, handle: () => simulator.requests() },
    { method: 'GET', pattern: /^\/_sim\/callbacks$/, handle: () => simulator.callbacks() },
    { method: 'GET', pattern: /^\/_sim\/heartbeats$/, handle: () => simulator.heartbeats() },
  ];
}

function optional(value: unknown, types: string[], name: string): unknown {
  if (value === undefined || value === null) return undefined;
  if (!types.includes(typeof value)) throw new ControlInputError(`${name} must be a ${types.join(' or ')}`);
  return value;
}

function notFound(message: string): never {
  throw new ControlInputError(message, 404);
}

const OUTCOMES = new Set(['answer', 'busy', 'no-answer', 'failed', 'hangup']);

function checkScript(body: Record<string, unknown>): NumberScript {
  if (body.outcome !== undefined && (typeof body.outcome !== 'string' || !OUTCOMES.has(body.outcome))) {
    throw new ControlInputError('outcome must be answer, busy, no-answer, failed or hangup');
  }
  for (const key of ['ringSeconds', 'talkSeconds', 'hangupAfterSeconds', 'times']) {
    const value = body[key];
    if (value !== undefined && (typeof value !== 'number' || value < 0)) {
      throw new ControlInputError(`${key} must be a number of 0 or more`);
    }
  }
  return body;
}
