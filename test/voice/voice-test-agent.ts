import { ExotelVoiceAgent, type VoiceAgent, type VoiceSession } from 'nestjs-exotel';

/** A voice agent whose behaviour each test sets. */
@ExotelVoiceAgent({ name: 'scripted' })
export class ScriptedAgent implements VoiceAgent {
  behaviour: (session: VoiceSession) => Promise<void> = async (session) => {
    for await (const _input of session) {
      // listen until the stream ends
    }
  };
  readonly sessions: VoiceSession[] = [];

  async handleSession(session: VoiceSession): Promise<void> {
    this.sessions.push(session);
    await this.behaviour(session);
  }
}

/** `seconds` of a 440 Hz tone at `rate`. */
export function tone(rate: number, seconds: number, hz = 440): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) =>
    Math.round(6000 * Math.sin((2 * Math.PI * hz * i) / rate)),
  );
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
