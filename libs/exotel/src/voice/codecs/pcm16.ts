/**
 * Raw PCM16: signed 16-bit little-endian mono samples, what Exotel's applet streams carry
 * ("slin", `audio/x-raw`). These helpers never reinterpret memory in the host's byte order, so
 * they are right on any machine, and they always copy (a decoded frame never aliases a socket
 * buffer that Node may reuse).
 */

/** Samples of little-endian PCM16 bytes; a trailing odd byte (a malformed frame) is ignored. */
export function pcm16FromBytes(bytes: Uint8Array): Int16Array {
  const count = bytes.length >> 1;
  const samples = new Int16Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
  for (let i = 0; i < count; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

/** Little-endian PCM16 bytes of `samples`. */
export function pcm16ToBytes(samples: Int16Array): Buffer {
  const bytes = Buffer.allocUnsafe(samples.length * 2);
  for (let i = 0; i < samples.length; i++) bytes.writeInt16LE(samples[i], i * 2);
  return bytes;
}
