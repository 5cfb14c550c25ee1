import { MULAW_SILENCE, mulawDecode, mulawEncode } from './mulaw';

// The ITU-T G.711 reference algorithm as published in Sun Microsystems' g711.c (public domain),
// written out independently here so the package is checked against the standard, not itself.
const BIAS = 0x84;
const CLIP = 32635;

function referenceEncode(pcm: number): number {
  let sample = pcm;
  const sign = sample < 0 ? 0x80 : 0;
  if (sign) sample = -sample;
  sample = Math.min(sample + BIAS, CLIP);
  let exponent = 7;
  for (let mask = 0x4000; (sample & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (sample >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function referenceDecode(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + BIAS) << ((u & 0x70) >> 4);
  return u & 0x80 ? BIAS - t : t - BIAS;
}

const ALL_PCM = Int16Array.from({ length: 65_536 }, (_, i) => i - 32_768);
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('mu-law codec (G.711)', () => {
  it('decodes the published reference values', () => {
    // Values from the G.711 mu-law decoding table (16-bit scale).
    const vectors: [number, number][] = [
      [0x00, -32124],
      [0x0f, -16764],
      [0x10, -15996],
      [0x7e, -8],
      [0x7f, 0],
      [0x80, 32124],
      [0x8f, 16764],
      [0xef, 132],
      [0xfe, 8],
      [0xff, 0],
    ];
    const decoded = mulawDecode(Uint8Array.from(vectors.map(([byte]) => byte)));
    expect(Array.from(decoded)).toEqual(vectors.map(([, pcm]) => pcm));
  });

  it('encodes the published reference values', () => {
    const vectors: [number, number][] = [
      [0, 0xff],
      [-1, 0x7f],
      [8, 0xfe],
      [-8, 0x7e],
      [132, 0xef],
      [32_767, 0x80],
      [-32_768, 0x00],
      [16_764, 0x8f],
    ];
    const encoded = mulawEncode(Int16Array.from(vectors.map(([pcm]) => pcm)));
    expect(Array.from(encoded)).toEqual(vectors.map(([, byte]) => byte));
  });

  it('agrees with the reference algorithm on every 16-bit sample and every byte', () => {
    const encoded = mulawEncode(ALL_PCM);
    const mismatches = ALL_PCM.filter((pcm, i) => encoded[i] !== referenceEncode(pcm));
    expect(mismatches.length).toBe(0);
    const decoded = mulawDecode(ALL_BYTES);
    expect(Array.from(decoded)).toEqual(Array.from(ALL_BYTES, referenceDecode));
  });

  it('round-trips every sample within the G.711 quantisation bound', () => {
    const back = mulawDecode(mulawEncode(ALL_PCM));
    let worst = 0;
    ALL_PCM.forEach((pcm, i) => {
      const error = Math.abs(back[i] - pcm);
      // Half a quantisation step of the sample's segment: at most (|x| + bias) / 32 below the
      // clip level; above it the codec saturates at +-32124.
      const bound = Math.abs(pcm) + BIAS <= CLIP ? (Math.abs(pcm) + BIAS) / 32 : 32_768 - 32_124;
      if (error > bound) worst = Math.max(worst, error - bound);
    });
    expect(worst).toBe(0);
  });

  it('decodes every byte to a value that encodes back to the same byte', () => {
    // 0x7f and 0xff are both zero (negative and positive zero); zero encodes as 0xff.
    const again = mulawEncode(mulawDecode(ALL_BYTES));
    const differing = Array.from(ALL_BYTES).filter((byte, i) => again[i] !== byte);
    expect(differing).toEqual([0x7f]);
  });

  it('uses 0xff for silence', () => {
    expect(mulawEncode(new Int16Array(4))).toEqual(Buffer.alloc(4, MULAW_SILENCE));
  });
});
