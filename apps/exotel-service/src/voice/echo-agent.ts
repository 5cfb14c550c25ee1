import { ExotelVoiceAgent, logLine, type VoiceAgent, type VoiceSession } from 'nestjs-exotel';
import { Logger } from '@nestjs/common';

/** Audio the echo agent collects before repeating it. */
const ECHO_AFTER_MS = 1_000;

/**
 * The demo voice agent: it repeats what the caller says (a second at a time), and when the caller
 * presses 0 it stops talking and transfers the call to a human at `transferTo`. A template for a
 * real agent: replace the echo with speech recognition, a model and speech synthesis.
 */
@ExotelVoiceAgent({ name: 'echo', default: true })
export class EchoAgent implements VoiceAgent {
  private readonly logger = new Logger(EchoAgent.name);

  constructor(private readonly transferTo: string) {}

  async handleSession(session: VoiceSession): Promise<void> {
    const { callSid, from, format } = session.metadata;
    this.logger.log(
      logLine('Echo agent answering', {
        callSid,
        from,
        encoding: format.encoding,
        sampleRate: format.sampleRate,
      }),
    );
    let heard: Int16Array[] = [];
    let heardMs = 0;
    for await (const input of session) {
      if (input.type === 'dtmf') {
        this.logger.log(logLine('Echo agent heard a key', { callSid, digit: input.digit }));
        if (input.digit !== '0') continue;
        session.clear();
        this.logger.log(logLine('Echo agent transferring the caller to a human', { callSid }));
        await session.transfer(this.transferTo);
        return;
      }
      heard.push(input.samples);
      heardMs += (input.samples.length * 1000) / input.sampleRate;
      if (heardMs < ECHO_AFTER_MS) continue;
      void session.send(concat(heard)).catch(() => undefined);
      heard = [];
      heardMs = 0;
    }
  }
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
