/** Sample rates Exotel streams use (`?sample-rate=`): 8 kHz by default, 16 or 24 kHz on request. */
export type VoiceSampleRate = 8000 | 16000 | 24000;

/** The sample rates a stream may carry. */
export const VOICE_SAMPLE_RATES: readonly VoiceSampleRate[] = [8000, 16000, 24000];

/**
 * Converts a stream of PCM16 frames from one sample rate to another by linear interpolation,
 * keeping its position between calls so consecutive frames join without clicks or drift (a 20 ms
 * frame at 24 kHz becomes exactly 160 samples at 8 kHz on average, whatever the frame sizes).
 *
 * Linear interpolation is what telephony needs between 8, 16 and 24 kHz: speech recognisers and
 * synthesisers run at those rates and the phone line band-limits to 3.4 kHz anyway. When rates are
 * equal, frames pass through untouched (bit-exact).
 */
export class LinearResampler {
  private readonly step: number;
  /** Position of the next output sample, in input samples, relative to the next frame's first. */
  private position = 0;
  /** Last input sample of the previous frame (position -1). */
  private previous = 0;
  private primed = false;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    if (!(fromRate > 0 && toRate > 0)) throw new RangeError('Sample rates must be positive');
    this.step = fromRate / toRate;
  }

  /** True when frames pass through unchanged. */
  get identity(): boolean {
    return this.fromRate === this.toRate;
  }

  /** Resamples one frame; output length follows the rate ratio across frames. */
  push(input: Int16Array): Int16Array {
    if (this.identity || input.length === 0) return input;
    if (!this.primed) {
      // Start aligned on the first input sample.
      this.previous = input[0];
      this.primed = true;
    }
    const last = input.length - 1;
    const count = this.position > last ? 0 : Math.floor((last - this.position) / this.step + 1e-9) + 1;
    const out = new Int16Array(count);
    let position = this.position;
    for (let i = 0; i < count; i++) {
      const index = Math.floor(position);
      const fraction = position - index;
      const left = index < 0 ? this.previous : input[index];
      const right = input[Math.min(index + 1, last)];
      out[i] = Math.round(left + (right - left) * fraction);
      position = this.position + (i + 1) * this.step;
    }
    this.position = position - input.length;
    this.previous = input[last];
    return out;
  }
}

/** Resamples a whole clip at once (no state kept). */
export function resample(input: Int16Array, fromRate: number, toRate: number): Int16Array {
  return new LinearResampler(fromRate, toRate).push(input);
}
