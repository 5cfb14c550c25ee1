import type { z } from 'zod';
import type { exoPhoneHealthStateSchema } from './exophone.events';

/** Health of one direction of an ExoPhone. `unknown`: not observed (yet), never assumed healthy. */
export type ExoPhoneHealthState = z.output<typeof exoPhoneHealthStateSchema>;

/** A direction of calls through an ExoPhone. */
export type CallDirection = 'incoming' | 'outgoing';

/** Every direction, in the order they are reported. */
export const DIRECTIONS: readonly CallDirection[] = ['incoming', 'outgoing'];

/** What other capabilities read of an ExoPhone's health (`ExoPhoneDirectory.health`). */
export interface PhoneHealth {
  readonly sid: string;
  readonly phoneNumber: string | null;
  readonly region: string | null;
  readonly customerFacing: boolean;
  readonly incomingState: ExoPhoneHealthState;
  readonly outgoingState: ExoPhoneHealthState;
  readonly incomingAlternates: readonly string[];
  readonly outgoingAlternates: readonly string[];
}

/** An ExoPhone as failover selection sees it. */
export interface CallerIdCandidate {
  readonly sid: string;
  readonly phoneNumber: string | null;
  readonly region: string | null;
  readonly state: ExoPhoneHealthState;
  /** Exotel's suggested alternates for this direction. */
  readonly alternates: readonly string[];
}

/** Which rule chose the caller id. */
export type CallerIdRule = 'preferred' | 'alternate' | 'pool';

/** The outcome of failover selection. */
export interface CallerIdChoice {
  /** What the caller asked for. */
  readonly preferred: string;
  /** The ExoPhone to use (its SID). */
  readonly chosen: string;
  readonly chosenPhoneNumber: string | null;
  readonly rule: CallerIdRule;
  /** Why, in words, for events and logs. */
  readonly reason: string;
}

/** What something (a heartbeat, a sweep) saw of one direction of one ExoPhone. */
export interface HealthObservation {
  readonly exoPhoneSid: string;
  /** E.164, when the observation carries it. */
  readonly phoneNumber?: string | null;
  readonly direction: CallDirection;
  readonly state: ExoPhoneHealthState;
  /** Exotel's `last_check_time`, when given. */
  readonly checkedAt?: Date | null;
  /** Exotel's `alternate_exophone` for this direction. */
  readonly alternates?: readonly string[];
}

/** Where observations came from. */
export type HealthSource = 'heartbeat' | 'sweep' | 'inventory' | 'manual';

/** Maps Exotel's connectivity status to ours; anything unrecognised is `unknown`, never `active`. */
export function toHealthState(status: unknown): ExoPhoneHealthState {
  return status === 'active' || status === 'partial_network_outage' || status === 'major_outage'
    ? status
    : 'unknown';
}

/** Exotel's `alternate_exophone` (a string, a list, or null) as a list. */
export function toAlternates(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
  if (Array.isArray(value))
    return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
  return [];
}
