import { connectivityBlock } from '../exophones/connectivity-block';
import type { ExoPhoneHealth } from '../exophones/exophone-health';
import type { SimExoPhone } from '../exophones/exophone-inventory';
import { formatRfc3339 } from '../support/time-format';

/**
 * How each affected ExoPhone is described under `data[sid]`; real receivers must accept all three:
 * - `connectivity`: `{phone_number, connectivity:{incoming_call:{…}, outgoing_call:{…}}}` (community Go code)
 * - `direct`: `{phone_number, incoming_call:{…}, outgoing_call:{…}}` (Exotel's new docs)
 * - `phone-number-only`: `{phone_number}` (all that Exotel's old docs and Juspay's parser rely on)
 */
export type HeartbeatShape = 'connectivity' | 'direct' | 'phone-number-only';

/** `status_type` of a heartbeat. */
export type HeartbeatStatusType = 'OK' | 'WARNING' | 'CRITICAL' | 'PAYLOAD_TOO_LARGE';

/** Presentation choices for one heartbeat. */
export interface HeartbeatFormat {
  /** @default 'connectivity' */
  readonly shape?: HeartbeatShape;
  /** Empty `incoming_affected`/`outgoing_affected` as `[]` or `null` (the seed's OK example). @default 'array' */
  readonly emptyLists?: 'array' | 'null';
}

/** A heartbeat body as the simulator sends it. */
export interface HeartbeatPayload {
  readonly timestamp: string;
  readonly status_type: HeartbeatStatusType;
  readonly incoming_affected: string[] | null;
  readonly outgoing_affected: string[] | null;
  readonly data: Record<string, Record<string, unknown>>;
}

/**
 * Builds the heartbeat from the current health: OK when nothing is affected, CRITICAL when every
 * ExoPhone is affected in some direction, WARNING otherwise; `data` covers the affected ExoPhones.
 */
export function buildHeartbeat(
  inventory: readonly SimExoPhone[],
  health: ExoPhoneHealth,
  at: number,
  format: HeartbeatFormat = {},
): HeartbeatPayload {
  const incoming = health.affected('incoming');
  const outgoing = health.affected('outgoing');
  const affected = new Set([...incoming, ...outgoing]);
  const statusType: HeartbeatStatusType =
    affected.size === 0 ? 'OK' : affected.size === inventory.length ? 'CRITICAL' : 'WARNING';
  const data: Record<string, Record<string, unknown>> = {};
  const shape = format.shape ?? 'connectivity';
  for (const phone of inventory) {
    if (!affected.has(phone.sid)) continue;
    const entry: Record<string, unknown> = { phone_number: phone.phoneNumber };
    if (shape !== 'phone-number-only') {
      const blocks = {
        incoming_call: connectivityBlock(health, phone.sid, 'incoming'),
        outgoing_call: connectivityBlock(health, phone.sid, 'outgoing'),
      };
      if (shape === 'connectivity') entry.connectivity = blocks;
      else Object.assign(entry, blocks);
    }
    data[phone.sid] = entry;
  }
  return {
    timestamp: formatRfc3339(at),
    status_type: statusType,
    incoming_affected: list(incoming, format),
    outgoing_affected: list(outgoing, format),
    data,
  };
}

/** The PAYLOAD_TOO_LARGE heartbeat: no per-number data ("use Get ExoPhone Details instead"). */
export function payloadTooLarge(at: number, format: HeartbeatFormat = {}): HeartbeatPayload {
  return {
    timestamp: formatRfc3339(at),
    status_type: 'PAYLOAD_TOO_LARGE',
    incoming_affected: list([], format),
    outgoing_affected: list([], format),
    data: {},
  };
}

function list(values: string[], format: HeartbeatFormat): string[] | null {
  return values.length === 0 && format.emptyLists === 'null' ? null : values;
}
