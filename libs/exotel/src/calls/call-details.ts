import { Injectable, Logger } from '@nestjs/common';
import { ExotelClient } from '../client/exotel-client';
import type { ExotelCall } from '../client/exotel-api.types';
import { ExotelClock } from '../jobs/exotel-clock';
import { logLine } from '../logging/log-line';
import { ExotelDatabase } from '../persistence/exotel-database';
import { CallEntity, type CallLeg } from './call.entity';
import { lockCall, writeCall } from './call-locks';

/**
 * Reads a finished call's details from Exotel (`GET Calls/<sid>?details=true`) after its terminal
 * callback: the recording URL, duration and price, which Exotel publishes some time after the end.
 * The HTTP request is made outside any transaction; the record is updated in a short one.
 */
@Injectable()
export class CallDetails {
  private readonly logger = new Logger(CallDetails.name);
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly client: ExotelClient,
    private readonly db: ExotelDatabase,
    private readonly clock: ExotelClock,
  ) {}

  /** Fetches in the background (after a terminal callback); failures are left to the job. */
  fetchSoon(callId: string): void {
    const work = this.fetch(callId)
      .catch((error: unknown) =>
        this.logger.warn(
          logLine('Call details not read yet; the reconciliation job retries', { callId, err: error }),
        ),
      )
      .finally(() => this.background.delete(work));
    this.background.add(work);
  }

  /** Resolves when background fetches are done (tests, shutdown). */
  async whenIdle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /** Fetches the details of a call and records them; resolves to whether they were complete. */
  async fetch(callId: string): Promise<boolean> {
    const row = await this.db.read((manager) => manager.findOneBy(CallEntity, { id: callId }));
    if (!row?.callSid || !row.detailsPending) return true;
    const details = await this.client.getCall(row.callSid, { details: true });
    return this.db.transaction(async (manager) => {
      const call = await lockCall(manager, this.db.dialect, { id: callId });
      if (!call) return true;
      applyDetails(call, details);
      const complete = details.Duration !== null && details.Duration !== undefined;
      if (complete) call.detailsPending = false;
      call.updatedAt = this.clock.now();
      await writeCall(manager, call);
      return complete;
    });
  }
}

/** Copies what call details add (recording, duration, price, leg durations) onto a record. */
export function applyDetails(call: CallEntity, details: ExotelCall): void {
  const recording = cleanUrl(details.RecordingUrl);
  if (recording) call.recordingUrl = recording;
  const duration = Number(details.Duration);
  if (details.Duration !== null && Number.isFinite(duration)) call.durationSeconds = Math.round(duration);
  if (details.Price !== null && details.Price !== undefined) call.price = String(details.Price).slice(0, 20);
  const legs = details.Details?.Legs;
  if (Array.isArray(legs) && legs.length > 0) {
    const merged: CallLeg[] = [...(call.legs ?? [])];
    legs.forEach((entry, index) => {
      const onCall = Number(entry?.Leg?.OnCallDuration);
      // The terminal callback's legs are authoritative; details only fill what it left out.
      merged[index] = {
        status: merged[index]?.status ?? legStatus(details, index),
        onCallDurationSeconds:
          merged[index]?.onCallDurationSeconds ?? (Number.isFinite(onCall) ? Math.round(onCall) : null),
        answeredBy: merged[index]?.answeredBy ?? null,
      };
    });
    call.legs = merged;
  }
  const conversation = Number(details.Details?.ConversationDuration);
  if (call.conversationSeconds === null && Number.isFinite(conversation))
    call.conversationSeconds = Math.round(conversation);
}

function legStatus(details: ExotelCall, index: number): string | null {
  const value =
    index === 0 ? details.Details?.Leg1Status : index === 1 ? details.Details?.Leg2Status : undefined;
  return value === undefined || value === '' ? null : value;
}

function cleanUrl(value: string | null | undefined): string | null {
  if (!value || value === 'null') return null;
  return value.slice(0, 1000);
}
