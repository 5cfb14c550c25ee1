/** Mono PCM16 audio with its sample rate. */
export interface PcmClip {
  readonly sampleRate: number;
  readonly samples: Int16Array;
}

/**
 * Reads a RIFF/WAVE file of 16-bit PCM (mono, or the first channel of a multi-channel file).
 * Throws on anything else: the simulator's fixtures are plain PCM16.
 */
export function readWav(file: Buffer): PcmClip {
  if (file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error('Not a RIFF/WAVE file');
  let offset = 12;
  let format: { channels: number; sampleRate: number; bits: number; tag: number } | undefined;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        tag: file.readUInt16LE(body),
        channels: file.readUInt16LE(body + 2),
        sampleRate: file.readUInt32LE(body + 4),
        bits: file.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format || format.tag !== 1 || format.bits !== 16)
        throw new Error('Only 16-bit PCM WAV files are supported');
      const frames = Math.floor(Math.min(size, file.length - body) / (2 * format.channels));
      const samples = new Int16Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = file.readInt16LE(body + i * 2 * format.channels);
      return { sampleRate: format.sampleRate, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}

/** A mono 16-bit PCM WAV file of `samples`. */
export function writeWav(samples: Int16Array, sampleRate: number): Buffer {
  const data = samples.length * 2;
  const file = Buffer.alloc(44 + data);
  file.write('RIFF', 0, 'ascii');
  file.writeUInt32LE(36 + data, 4);
  file.write('WAVE', 8, 'ascii');
  file.write('fmt ', 12, 'ascii');
  file.writeUInt32LE(16, 16);
  file.writeUInt16LE(1, 20);
  file.writeUInt16LE(1, 22);
  file.writeUInt32LE(sampleRate, 24);
  file.writeUInt32LE(sampleRate * 2, 28);
  file.writeUInt16LE(2, 32);
  file.writeUInt16LE(16, 34);
  file.write('data', 36, 'ascii');
  file.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) file.writeInt16LE(samples[i], 44 + i * 2);
  return file;
}

/**
 * A speech-like test signal (a voiced vowel: 120 Hz fundamental with formant-shaped harmonics,
 * syllable envelope, a little deterministic noise): what the caller "says" when no fixture is
 * given. Deterministic, so tests can compare what the agent heard sample by sample.
 */
export function syntheticSpeech(sampleRate: number, seconds: number): Int16Array {
  const samples = new Int16Array(Math.round(sampleRate * seconds));
  const formants = [700, 1220, 2600];
  let noise = 12345;
  for (let i = 0; i < samples.length; i++) {
    const t = i / sampleRate;
    let value = 0;
    for (let h = 1; h * 120 < Math.min(3400, sampleRate / 2); h++) {
      const f = h * 120;
      const weight = formants.reduce((w, formant) => w + 1 / (1 + ((f - formant) / 150) ** 2), 0.05);
      value += weight * Math.sin(2 * Math.PI * f * t + h);
    }
    const syllable = 0.5 - 0.5 * Math.cos(2 * Math.PI * 3 * t);
    noise = (noise * 1103515245 + 12345) & 0x7fffffff;
    samples[i] = Math.round(3000 * syllable * value + (noise / 0x7fffffff - 0.5) * 200);
  }
  return samples;
}
