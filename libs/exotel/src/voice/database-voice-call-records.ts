import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventPublisher } from '../events/event-publisher';
import { CallRecords } from '../calls/call-records.service';
import type { JsonValue } from '../persistence/json-value';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelDatabase } from '../persistence/exotel-database';
import type { PassthruAnswer } from './passthru-answer';
import {
  VoiceCallRecords,
  type PassthruBranch,
  type StreamStart,
  type StreamStop,
  type TransferRequest,
  type VoiceCallView,
} from './voice-call-records';
import { VoiceCallEntity } from './voice-call.entity';

/**
 * The default `VoiceCallRecords`: one `exotel_voice_calls` row per CallSid, created by whichever
 * request sees the call first (insert-or-ignore, then a locked read on PostgreSQL), changed and
 * published in one transaction.
 */
@Injectable()
export class DatabaseVoiceCallRecords extends VoiceCallRecords {
  constructor(
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly calls: CallRecords,
  ) {
    super();
  }

  async recordPassthru(answer: PassthruAnswer, branch: PassthruBranch): Promise<void> {
    await this.db.transaction(async (manager) => {
      const call = await this.lockCall(manager, answer.callSid);
      call.direction = answer.direction ?? call.direction;
      call.fromNumber = answer.callFrom ?? call.fromNumber;
      call.toNumber = answer.callTo ?? call.toNumber;
      call.flowId = answer.flowId ?? call.flowId;
      call.callType = answer.callType ?? call.callType;
      call.digits = answer.digits ?? call.digits;
      call.customField = answer.customField ?? call.customField;
      call.recordingUrl = answer.recordingUrl ?? call.recordingUrl;
      call.passthruCount += 1;
      call.lastBranch = branch;
      const stream = answer.stream;
      if (stream) {
        call.streamSid = stream.streamSid ?? call.streamSid;
        call.streamStatus = stream.status ?? call.streamStatus;
        // Our own measure wins: Exotel's duration is whole seconds of its side.
        call.streamDurationSeconds = call.streamDurationSeconds ?? stream.durationSeconds;
        call.disconnectedBy = call.disconnectedBy ?? stream.disconnectedBy;
        call.streamRecordingUrl = stream.recordingUrl ?? call.streamRecordingUrl;
        call.streamUrl = stream.streamUrl ?? call.streamUrl;
        call.streamError = stream.error?.slice(0, 500) ?? call.streamError;
      }
      await this.save(manager, call);
      await this.events.publish(manager, {
        type: 'voice.passthru_received',
        subject: answer.callSid,
        data: {
          callSid: answer.callSid,
          direction: answer.direction,
          from: answer.callFrom,
          to: answer.callTo,
          flowId: answer.flowId,
          callType: answer.callType,
          digits: answer.digits,
          customField: answer.customField,
          branch,
          stream: stream
            ? {
                streamSid: stream.streamSid,
                status: stream.status,
                durationSeconds: stream.durationSeconds,
                disconnectedBy: stream.disconnectedBy,
                recordingUrl: stream.recordingUrl,
                error: stream.error,
                detailedStatus: stream.detailedStatus,
              }
            : null,
        },
      });
    });
  }

  async recordStreamStarted(start: StreamStart): Promise<void> {
    await this.db.transaction(async (manager) => {
      const call = await this.lockCall(manager, start.callSid);
      call.fromNumber = call.fromNumber ?? start.from;
      call.toNumber = call.toNumber ?? start.to;
      call.streamSid = start.streamSid;
      call.streamStatus = 'streaming';
      call.streamEncoding = start.format.encoding;
      call.streamSampleRate = start.format.sampleRate;
      call.streamAgent = start.agent;
      call.streamStartedAt = start.startedAt;
      call.streamStoppedAt = null;
      call.streamDurationSeconds = null;
      call.streamStopReason = null;
      call.disconnectedBy = null;
      await this.save(manager, call);
      await this.events.publish(manager, {
        type: 'voice.stream_started',
        subject: start.callSid,
        data: {
          callSid: start.callSid,
          streamSid: start.streamSid,
          from: start.from,
          to: start.to,
          encoding: start.format.encoding,
          sampleRate: start.format.sampleRate,
          agent: start.agent,
          customParameters: { ...start.customParameters },
          startedAt: start.startedAt.toISOString(),
        },
      });
    });
  }

  async recordStreamStopped(stop: StreamStop): Promise<void> {
    const durationSeconds = Math.max(0, (stop.stoppedAt.getTime() - stop.startedAt.getTime()) / 1000);
    await this.db.transaction(async (manager) => {
      const call = await this.lockCall(manager, stop.callSid);
      call.streamSid = call.streamSid ?? stop.streamSid;
      if (call.streamStatus === 'streaming' || call.streamStatus === null) call.streamStatus = 'ended';
      call.streamStoppedAt = stop.stoppedAt;
      call.streamDurationSeconds = Math.round(durationSeconds);
      call.streamStopReason = stop.reason;
      call.disconnectedBy = stop.disconnectedBy;
      await this.save(manager, call);
      await this.events.publish(manager, {
        type: 'voice.stream_stopped',
        subject: stop.callSid,
        data: {
          callSid: stop.callSid,
          streamSid: stop.streamSid,
          reason: stop.reason,
          disconnectedBy: stop.disconnectedBy,
          durationSeconds: Math.round(durationSeconds * 1000) / 1000,
          framesReceived: stop.framesReceived,
          chunksSent: stop.chunksSent,
          malformedFrames: stop.malformedFrames,
          stoppedAt: stop.stoppedAt.toISOString(),
        },
      });
    });
  }

  async requestTransfer(request: TransferRequest): Promise<void> {
    await this.db.transaction(async (manager) => {
      const call = await this.lockCall(manager, request.callSid);
      call.transferTo = request.to;
      call.transferRequestedAt = request.requestedAt;
      call.transferDialledAt = null;
      call.transferCount += 1;
      await this.save(manager, call);
      await this.events.publish(manager, {
        type: 'voice.transfer_requested',
        subject: request.callSid,
        data: {
          callSid: request.callSid,
          streamSid: request.streamSid,
          to: request.to,
          requestedAt: request.requestedAt.toISOString(),
        },
      });
    });
  }

  async dialUpNumbers(callSid: string): Promise<string[]> {
    const pending = await this.db.read((manager) => manager.findOne(VoiceCallEntity, { where: { callSid } }));
    if (!pending?.transferTo) return [];
    if (pending.transferDialledAt) return [pending.transferTo];
    return this.db.transaction(async (manager) => {
      const call = await this.lockCall(manager, callSid);
      if (!call.transferTo) return [];
      if (!call.transferDialledAt) {
        call.transferDialledAt = this.clock.now();
        await this.save(manager, call);
        await this.events.publish(manager, {
          type: 'voice.transfer_dialled',
          subject: callSid,
          data: {
            callSid,
            numbers: [call.transferTo],
            dialledAt: call.transferDialledAt.toISOString(),
          },
        });
      }
      return [call.transferTo];
    });
  }

  async find(callSid: string): Promise<VoiceCallView | undefined> {
    const call = await this.db.read((manager) => manager.findOne(VoiceCallEntity, { where: { callSid } }));
    return call ? toView(call) : undefined;
  }

  /** The call's row, created if new, locked for this transaction on PostgreSQL. */
  private async lockCall(manager: EntityManager, callSid: string): Promise<VoiceCallEntity> {
    const now = this.clock.now();
    await manager
      .createQueryBuilder()
      .insert()
      .into(VoiceCallEntity)
      .values({ callSid, createdAt: now, updatedAt: now, passthruCount: 0, transferCount: 0 })
      .orIgnore()
      .execute();
    const lock = this.db.dialect === 'postgres' ? { mode: 'pessimistic_write' as const } : undefined;
    return manager.findOneOrFail(VoiceCallEntity, { where: { callSid }, lock });
  }

  /**
   * Saves the voice row and mirrors it on the call record (`extensions.voice`), so `GET /calls`
   * shows a voice-AI call with its stream and transfer, whoever placed it.
   */
  private async save(manager: EntityManager, call: VoiceCallEntity): Promise<void> {
    call.updatedAt = this.clock.now();
    await manager.save(VoiceCallEntity, call);
    await this.calls.attach(
      manager,
      {
        callSid: call.callSid,
        direction: call.direction ?? 'inbound',
        from: call.fromNumber,
        to: call.toNumber,
      },
      'voice',
      toCallExtension(toView(call)),
    );
  }
}

function toView(call: VoiceCallEntity): VoiceCallView {
  return {
    callSid: call.callSid,
    direction: call.direction,
    from: call.fromNumber,
    to: call.toNumber,
    flowId: call.flowId,
    callType: call.callType,
    digits: call.digits,
    customField: call.customField,
    passthruCount: call.passthruCount,
    lastBranch: call.lastBranch as VoiceCallView['lastBranch'],
    stream: {
      streamSid: call.streamSid,
      status: call.streamStatus,
      encoding: call.streamEncoding,
      sampleRate: call.streamSampleRate,
      agent: call.streamAgent,
      startedAt: call.streamStartedAt,
      stoppedAt: call.streamStoppedAt,
      durationSeconds: call.streamDurationSeconds,
      stopReason: call.streamStopReason,
      disconnectedBy: call.disconnectedBy,
      recordingUrl: call.streamRecordingUrl,
    },
    transfer: {
      to: call.transferTo,
      requestedAt: call.transferRequestedAt,
      dialledAt: call.transferDialledAt,
      count: call.transferCount,
    },
  };
}

/** The voice view as JSON for the call record (instants as ISO 8601). */
function toCallExtension(view: VoiceCallView): Record<string, JsonValue> {
  return JSON.parse(JSON.stringify(view)) as Record<string, JsonValue>;
}
