import { SetMetadata } from '@nestjs/common';
import type { VoiceSampleRate } from './codecs/linear-resampler';
import type { PassthruAnswer } from './passthru-answer';
import type { PassthruBranch } from './voice-call-records';
import type { VoiceSession } from './voice-session';

/** Metadata key of `@ExotelVoiceAgent()`. */
export const EXOTEL_VOICE_AGENT = 'exotel:voice-agent';

/** Options of `@ExotelVoiceAgent()`. */
export interface ExotelVoiceAgentOptions {
  /**
   * Name the stream URL picks the agent by, with the custom parameter `agent`
   * (`wss://host/exotel/stream?agent=support&key=...`). @default the class name
   */
  name?: string;
  /** Handles streams that name no agent (or an unknown one) when several agents exist. @default false */
  default?: boolean;
  /**
   * Sample rate of the PCM16 the agent reads and sends (its speech engines' rate); the session
   * resamples from and to the stream's rate. @default the stream's own rate (no resampling)
   */
  sampleRate?: VoiceSampleRate;
}

/**
 * A voice-AI agent: a provider whose `handleSession` gets each bot stream Exotel opens to the
 * gateway. Optionally it decides the Passthru branch (`decidePassthru`) of `GET /exotel/answer`.
 */
export interface VoiceAgent {
  /**
   * Runs one call's conversation. The session ends when this returns (queued audio is sent first)
   * or when the stream ends (the iterator finishes).
   */
  handleSession(session: VoiceSession): Promise<void> | void;
  /** HTTP 200 (`ok`, the flow's first choice) or 302 (`found`, the second) for a Passthru request. */
  decidePassthru?(answer: PassthruAnswer): PassthruBranch | Promise<PassthruBranch>;
}

/**
 * Marks a provider as a voice agent, discovered at boot. Register it as a provider of any module.
 *
 * ```ts
 * @ExotelVoiceAgent({ name: 'support', sampleRate: 16000 })
 * export class SupportAgent implements VoiceAgent {
 *   async handleSession(session: VoiceSession) {
 *     for await (const input of session) {
 *       if (input.type === 'dtmf' && input.digit === '0') return session.transfer('+919812345678');
 *       if (input.type === 'audio') await session.send(await this.reply(input.samples));
 *     }
 *   }
 * }
 * ```
 */
export const ExotelVoiceAgent = (options: ExotelVoiceAgentOptions = {}): ClassDecorator =>
  SetMetadata(EXOTEL_VOICE_AGENT, options);
