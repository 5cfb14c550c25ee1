import type { IHeaders, Message } from 'kafkajs';
import type { ExotelEvent } from './exotel-event';

// CloudEvents Kafka protocol binding, binary content mode: attributes travel as `ce_*` headers,
// the value is the event data as JSON, and `content-type` carries `datacontenttype`.

/**
 * The Kafka message of an event: key = subject (the aggregate), so an aggregate stays ordered.
 * `dataJson`, when given, is `event.data` already serialised as JSON.
 */
export function toKafkaMessage(event: ExotelEvent, dataJson?: string): Message {
  return {
    key: event.subject,
    value: dataJson ?? JSON.stringify(event.data),
    timestamp: String(Date.parse(event.time)),
    headers: {
      ce_specversion: event.specversion,
      ce_id: event.id,
      ce_source: event.source,
      ce_type: event.type,
      ce_subject: event.subject,
      ce_time: event.time,
      ce_sequence: String(event.sequence),
      'content-type': event.datacontenttype,
    },
  };
}

/** Why a Kafka message is not a readable CloudEvent. */
export class NotACloudEventError extends Error {
  override readonly name = 'NotACloudEventError';
}

/** The event carried by a binary-mode CloudEvents Kafka message. */
export function fromKafkaMessage(message: {
  key?: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}): ExotelEvent {
  const header = (name: string): string | undefined => {
    const value = message.headers?.[name];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  };
  const id = header('ce_id');
  const type = header('ce_type');
  const source = header('ce_source');
  if (header('ce_specversion') !== '1.0' || !id || !type || !source) {
    throw new NotACloudEventError('missing ce_specversion 1.0, ce_id, ce_type or ce_source header');
  }
  let data: unknown;
  try {
    data = message.value === null ? null : JSON.parse(message.value.toString('utf8'));
  } catch {
    throw new NotACloudEventError(`event ${id} has a value that is not JSON`);
  }
  return {
    specversion: '1.0',
    id,
    source,
    type,
    subject: header('ce_subject') ?? message.key?.toString() ?? '',
    time: header('ce_time') ?? new Date().toISOString(),
    datacontenttype: 'application/json',
    sequence: Number(header('ce_sequence') ?? 0),
    data,
  };
}
