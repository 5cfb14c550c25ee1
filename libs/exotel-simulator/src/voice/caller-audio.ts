import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav, syntheticSpeech, type PcmClip } from './wav';

/** The WAV fixture the simulated caller speaks by default (3 s, 8 kHz, PCM16 mono). */
export const CALLER_FIXTURE = 'caller-8k.wav';

/**
 * The default caller audio: the package's `fixtures/caller-8k.wav` (beside `src/` and `dist/`
 * alike), or the same synthetic speech generated in memory if the file is absent.
 */
export function defaultCallerAudio(): PcmClip {
  const path = join(__dirname, '..', '..', 'fixtures', CALLER_FIXTURE);
  if (existsSync(path)) return readWav(readFileSync(path));
  return { sampleRate: 8000, samples: syntheticSpeech(8000, 3) };
}
