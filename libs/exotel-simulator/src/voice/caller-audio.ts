import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav, syntheticSpeech, type PcmClip } from './wav';

/** The WAV fixture the simulated caller speaks by default (3 s, 8 kHz, PCM16 mono). */
export const CALLER_FIXTURE = 'caller-8k.wav';

/**
 * The default caller audio: `fixtures/caller-8k.wav` of this library (found from the sources or
 * from the build output), or the same synthetic speech generated in memory if the file is absent.
 */
export function defaultCallerAudio(): PcmClip {
  const candidates = [
    join(__dirname, '..', '..', 'fixtures', CALLER_FIXTURE),
    join(__dirname, '..', '..', '..', '..', '..', 'libs', 'exotel-simulator', 'fixtures', CALLER_FIXTURE),
  ];
  for (const path of candidates) if (existsSync(path)) return readWav(readFileSync(path));
  return { sampleRate: 8000, samples: syntheticSpeech(8000, 3) };
}
