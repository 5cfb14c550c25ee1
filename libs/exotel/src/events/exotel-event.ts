/**
 * An event as published: a CloudEvents 1.0 envelope. `subject` is the aggregate the event is about
 * (ExoPhone SID, call id, incident id, ticket id) and is also the Kafka key, so one aggregate's
 * events stay in order; `sequence` numbers them per aggregate, starting at 1.
 */
export interface ExotelEvent<TType extends string = string, TData = unknown> {
  readonly specversion: '1.0';
  /** ULID: unique, and sortable by creation time. Consumers dedupe on it. */
  readonly id: string;
  readonly source: string;
  readonly type: TType;
  readonly subject: string;
  /** ISO 8601 instant the event happened. */
  readonly time: string;
  readonly datacontenttype: 'application/json';
  /** Position of this event among its aggregate's events (1, 2, 3...). */
  readonly sequence: number;
  readonly data: TData;
}

/** What a service hands to `EventPublisher.publish()`. */
export interface ExotelEventInput<TType extends string = string, TData = unknown> {
  readonly type: TType;
  /** The aggregate id; also the Kafka key. */
  readonly subject: string;
  readonly data: TData;
  /** When it happened; defaults to now. */
  readonly time?: Date;
}
