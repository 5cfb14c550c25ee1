/**
 * Exotel's rules for audio a bot sends (support article 3000108630): each `media` payload is a
 * multiple of 320 bytes, at least 3,200 and at most 100,000. A short or odd-sized chunk makes the
 * platform wait 20 ms before the next one: audible gaps.
 */
const CHUNK_RULES = { multipleOf: 320, minBytes: 3_200, maxBytes: 100_000 } as const;

/** What is wrong with a chunk of `bytes` bytes, or undefined when it follows the rules. */
export function chunkViolation(bytes: number): string | undefined {
  if (bytes % CHUNK_RULES.multipleOf !== 0) return `${bytes} bytes is not a multiple of 320`;
  if (bytes < CHUNK_RULES.minBytes) return `${bytes} bytes is under the 3,200-byte minimum`;
  if (bytes > CHUNK_RULES.maxBytes) return `${bytes} bytes is over the 100,000-byte maximum`;
  return undefined;
}

/**
 * Size of the chunks to send for `frameMs` of audio at `bytesPerSecond`: the frame rounded up to
 * a multiple of 320 bytes and kept within the limits.
 */
export function chunkBytesFor(frameMs: number, bytesPerSecond: number): number {
  const raw = Math.ceil((bytesPerSecond * frameMs) / 1000);
  const rounded = Math.ceil(raw / CHUNK_RULES.multipleOf) * CHUNK_RULES.multipleOf;
  const largest = Math.floor(CHUNK_RULES.maxBytes / CHUNK_RULES.multipleOf) * CHUNK_RULES.multipleOf;
  return Math.min(largest, Math.max(CHUNK_RULES.minBytes, rounded));
}

/**
 * Splits encoded audio into chunks of `chunkBytes` (which follows the rules). The remainder is
 * returned separately when `keepRemainder` is set (more audio of the same utterance follows);
 * otherwise it is padded with `padByte` to the next valid size and sent as the last chunk.
 */
export function splitIntoChunks(
  audio: Buffer,
  chunkBytes: number,
  padByte: number,
  keepRemainder: boolean,
): { chunks: Buffer[]; remainder: Buffer } {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (audio.length - offset >= chunkBytes) {
    chunks.push(audio.subarray(offset, offset + chunkBytes));
    offset += chunkBytes;
  }
  const rest = audio.subarray(offset);
  if (keepRemainder || rest.length === 0) return { chunks, remainder: rest };
  const size = Math.max(
    CHUNK_RULES.minBytes,
    Math.ceil(rest.length / CHUNK_RULES.multipleOf) * CHUNK_RULES.multipleOf,
  );
  const last = Buffer.alloc(size, padByte);
  rest.copy(last);
  chunks.push(last);
  return { chunks, remainder: Buffer.alloc(0) };
}
