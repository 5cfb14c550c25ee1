import { VOICE_SAMPLE_RATES, type VoiceSampleRate } from './linear-resampler';
import { MULAW_SILENCE, mulawDecode, mulawEncode } from './mulaw';
import { pcm16FromBytes, pcm16ToBytes } from './pcm16';

/** Payload encodings of a stream: raw PCM16 LE (Exotel's applets) or G.711 mu-law. */
export type VoiceEncoding = 'pcm16' | 'mulaw';

/** How a stream's audio travels on the wire. */
export interface StreamAudioFormat {
  readonly encoding: VoiceEncoding;
  readonly sampleRate: VoiceSampleRate;
}

/** The `media_format` block of Exotel's `start` event, parsed leniently (types vary by source). */
export interface MediaFormatBlock {
  readonly encoding?: unknown;
  readonly sample_rate?: unknown;
  readonly sampleRate?: unknown;
  readonly bit_rate?: unknown;
}

/** Applet streams' default: PCM16 at 8 kHz. */
const DEFAULT_STREAM_FORMAT: StreamAudioFormat = { encoding: 'pcm16', sampleRate: 8000 };

/**
 * The wire format of a stream: from its `media_format` (`audio/x-mulaw`, `mulaw`, `ulaw` mean
 * mu-law; `audio/x-raw`, `raw`, `linear16`, `slin` or nothing mean PCM16), with `override` (from
 * the configuration) winning for each field it sets. An unknown sample rate falls back to the
 * URL's `sample-rate` rule: 8 kHz.
 */
export function streamAudioFormat(
  mediaFormat: MediaFormatBlock | undefined,
  override: Partial<StreamAudioFormat> = {},
): StreamAudioFormat {
  const encodingText = typeof mediaFormat?.encoding === 'string' ? mediaFormat.encoding.toLowerCase() : '';
  const encoding: VoiceEncoding = /mulaw|ulaw|pcmu|g711/.test(encodingText) ? 'mulaw' : 'pcm16';
  const rate = Number(mediaFormat?.sample_rate ?? mediaFormat?.sampleRate);
  const sampleRate = (VOICE_SAMPLE_RATES as readonly number[]).includes(rate)
    ? (rate as VoiceSampleRate)
    : DEFAULT_STREAM_FORMAT.sampleRate;
  return { encoding: override.encoding ?? encoding, sampleRate: override.sampleRate ?? sampleRate };
}

/** Bytes one second of audio takes in `format`. */
export function bytesPerSecond(format: StreamAudioFormat): number {
  return format.sampleRate * (format.encoding === 'pcm16' ? 2 : 1);
}

/** Linear samples of a decoded wire payload. */
export function decodePayload(format: StreamAudioFormat, bytes: Uint8Array): Int16Array {
  return format.encoding === 'pcm16' ? pcm16FromBytes(bytes) : mulawDecode(bytes);
}

/** Wire bytes of linear samples. */
export function encodePayload(format: StreamAudioFormat, samples: Int16Array): Buffer {
  return format.encoding === 'pcm16' ? pcm16ToBytes(samples) : mulawEncode(samples);
}

/** The byte value of silence in `format` (used to pad the last chunk of an utterance). */
export function silenceByte(format: StreamAudioFormat): number {
  return format.encoding === 'pcm16' ? 0 : MULAW_SILENCE;
}
