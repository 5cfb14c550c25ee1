import { LinearResampler, resample } from './linear-resampler';

const sine = (rate: number, seconds: number, hz = 440, amplitude = 8000): Int16Array =>
  Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)),
  );

function framesOf(samples: Int16Array, size: number): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let i = 0; i < samples.length; i += size) frames.push(samples.subarray(i, i + size));
  return frames;
}

function concat(frames: Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let offset = 0;
  for (const frame of frames) {
    out.set(frame, offset);
    offset += frame.length;
  }
  return out;
}

describe('LinearResampler', () => {
  it('passes frames through untouched when the rates are equal', () => {
    const input = sine(8000, 0.1);
    expect(new LinearResampler(8000, 8000).push(input)).toBe(input);
  });

  it.each([
    [8000, 16000],
    [8000, 24000],
    [16000, 8000],
    [24000, 8000],
    [24000, 16000],
    [16000, 24000],
  ])('%i Hz -> %i Hz frame by frame equals the whole clip at once', (from, to) => {
    const input = sine(from, 1);
    const whole = resample(input, from, to);
    const resampler = new LinearResampler(from, to);
    // Odd frame sizes, so frame boundaries fall between output samples.
    const pieces = framesOf(input, 137).map((frame) => resampler.push(frame));
    const joined = concat(pieces);
    expect(joined.length).toBe(whole.length);
    // The last input sample's interval waits for the next frame: at most one input sample behind.
    expect(Math.abs(joined.length - (input.length * to) / from)).toBeLessThanOrEqual(Math.ceil(to / from));
    let maxDiff = 0;
    joined.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - whole[i]))));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it('keeps a tone: up then down again returns the original within a few LSB', () => {
    const input = sine(8000, 0.5, 300);
    const back = resample(resample(input, 8000, 16000), 16000, 8000);
    let maxDiff = 0;
    for (let i = 0; i < input.length - 1; i++) maxDiff = Math.max(maxDiff, Math.abs(back[i] - input[i]));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it('refuses nonsense rates', () => {
    expect(() => new LinearResampler(0, 8000)).toThrow(RangeError);
  });
});
