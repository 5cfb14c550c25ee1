import { mulaw } from 'alawmulaw';

/**
 * G.711 mu-law, for streams whose `media_format` says `audio/x-mulaw` (Exotel's newer docs and
 * Legs `start_stream`). The codec is `alawmulaw`'s: a small, dependency-free implementation of the
 * ITU-T reference algorithm (bias 0x84, clip 32635), checked against reference vectors in
 * `mulaw.spec.ts`.
 */

/** The mu-law byte of digital silence (linear 0). */
export const MULAW_SILENCE = 0xff;

/** Linear PCM16 samples of mu-law bytes (one sample per byte). */
export function mulawDecode(bytes: Uint8Array): Int16Array {
  return mulaw.decode(bytes);
}

/** Mu-law bytes of linear PCM16 samples. */
export function mulawEncode(samples: Int16Array): Buffer {
  const encoded = mulaw.encode(samples);
  return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.length);
}
