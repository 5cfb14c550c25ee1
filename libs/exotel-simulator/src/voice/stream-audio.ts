import { mulaw } from 'alawmulaw';

/** Encodings the simulated stream can use: PCM16 LE (Exotel applets' default) or mu-law. */
export type SimStreamEncoding = 'pcm16' | 'mulaw';

/** Bytes per second of a stream. */
export function streamBytesPerSecond(encoding: SimStreamEncoding, sampleRate: number): number {
  return sampleRate * (encoding === 'pcm16' ? 2 : 1);
}

/** Wire bytes of PCM16 samples. */
export function encodeSamples(encoding: SimStreamEncoding, samples: Int16Array): Buffer {
  if (encoding === 'mulaw') {
    const bytes = mulaw.encode(samples);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  }
  const out = Buffer.allocUnsafe(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i], i * 2);
  return out;
}

/**
 * The caller's clip at the stream's rate. Exotel resamples the line audio to the `sample-rate`
 * asked for; the simulator does it by linear interpolation, which is all a test signal needs.
 */
export function toRate(samples: Int16Array, from: number, to: number): Int16Array {
  if (from === to) return samples;
  const length = Math.floor(((samples.length - 1) * to) / from) + 1;
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const position = (i * from) / to;
    const index = Math.floor(position);
    const next = samples[Math.min(index + 1, samples.length - 1)];
    out[i] = Math.round(samples[index] + (next - samples[index]) * (position - index));
  }
  return out;
}

/** Silence in `encoding`. */
export function silence(encoding: SimStreamEncoding, bytes: number): Buffer {
  return Buffer.alloc(bytes, encoding === 'pcm16' ? 0 : 0xff);
}
