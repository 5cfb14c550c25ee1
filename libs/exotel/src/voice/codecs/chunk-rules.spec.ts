import { chunkBytesFor, chunkViolation, splitIntoChunks } from './chunk-rules';

describe('Exotel chunk rules', () => {
  it('names what is wrong with a chunk size', () => {
    expect(chunkViolation(3_200)).toBeUndefined();
    expect(chunkViolation(100_000)).toMatch(/multiple of 320/);
    expect(chunkViolation(99_840)).toBeUndefined();
    expect(chunkViolation(3_210)).toMatch(/multiple of 320/);
    expect(chunkViolation(320)).toMatch(/minimum/);
    expect(chunkViolation(100_160)).toMatch(/maximum/);
    expect(chunkViolation(100_480)).toMatch(/maximum/);
  });

  it('sizes chunks from a frame length', () => {
    expect(chunkBytesFor(100, 16_000)).toBe(3_200); // PCM16 8 kHz: 1,600 bytes is under the minimum
    expect(chunkBytesFor(100, 32_000)).toBe(3_200);
    expect(chunkBytesFor(100, 48_000)).toBe(4_800);
    expect(chunkBytesFor(30, 48_000)).toBe(3_200);
    expect(chunkBytesFor(10_000, 48_000)).toBe(100_000 - (100_000 % 320));
  });

  it('splits audio into valid chunks and pads the tail with silence', () => {
    const audio = Buffer.alloc(10_000, 7);
    const { chunks, remainder } = splitIntoChunks(audio, 3_200, 0, false);
    expect(chunks.map((c) => c.length)).toEqual([3_200, 3_200, 3_200, 3_200]);
    expect(remainder.length).toBe(0);
    expect(chunks[3].subarray(0, 400)).toEqual(Buffer.alloc(400, 7));
    expect(chunks[3].subarray(400)).toEqual(Buffer.alloc(2_800, 0));
    for (const chunk of chunks) expect(chunkViolation(chunk.length)).toBeUndefined();
  });

  it('keeps the remainder for the next call when more audio follows', () => {
    const { chunks, remainder } = splitIntoChunks(Buffer.alloc(7_000), 3_200, 0xff, true);
    expect(chunks.length).toBe(2);
    expect(remainder.length).toBe(600);
  });
});
