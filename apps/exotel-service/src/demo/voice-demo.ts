import type { ExotelSimulator, SimFlowCall } from 'exotel-simulator';

/** The demo's voice calls. */
export interface VoiceDemoOptions {
  /** The service's local URL. */
  readonly serviceUrl: string;
  /** A webhook secret of the service. */
  readonly secret: string;
  /** The number the echo agent transfers to (the simulated human agent answers it). */
  readonly agentNumber: string;
  /** Pause between demo calls. @default 120000 */
  readonly intervalMs?: number;
  /** Where each call's story goes. */
  readonly log: (summary: Record<string, unknown>, message: string) => void;
}

/** A running voice demo. */
export interface VoiceDemo {
  stop(): void;
}

const VOICE_DEMO_APP_ID = '900001';

/**
 * Rings the service like a voice-AI flow on Exotel would, every few minutes: Passthru to
 * `/exotel/answer`, a Voicebot stream to `/exotel/stream` (the caller speaks, then presses 0),
 * the Passthru again with the stream's report, the Connect applet asking `/exotel/dial-up` whom
 * to bridge, and the terminal status callback to `/exotel/callback/status`.
 */
export function startVoiceDemo(simulator: ExotelSimulator, options: VoiceDemoOptions): VoiceDemo {
  const hook = (path: string) => `${options.serviceUrl}${path}?key=${encodeURIComponent(options.secret)}`;
  simulator.scriptNumber(options.agentNumber, { outcome: 'answer', ringSeconds: 3, talkSeconds: 10 });
  simulator.defineFlow(VOICE_DEMO_APP_ID, {
    statusCallback: hook('/exotel/callback/status'),
    applets: [
      { type: 'greeting', seconds: 1 },
      { type: 'passthru', url: hook('/exotel/answer') },
      {
        type: 'voicebot',
        url: `${options.serviceUrl.replace(/^http/, 'ws')}/exotel/stream?key=${encodeURIComponent(options.secret)}&agent=echo`,
        record: true,
        script: { dtmf: [{ digit: '0', afterMs: 5_000 }] },
      },
      { type: 'passthru', url: hook('/exotel/answer') },
      { type: 'connect', url: hook('/exotel/dial-up') },
      { type: 'hangup' },
    ],
  });
  const exoPhone = simulator.exoPhones()[0]?.phoneNumber ?? '+918047491899';
  let stopped = false;
  const place = (): void => {
    if (stopped) return;
    const call = simulator.startInboundCall({
      from: '+919876543210',
      to: exoPhone,
      appId: VOICE_DEMO_APP_ID,
    });
    options.log({ callSid: call.sid }, 'demo: inbound voice-AI call ringing the service');
    void simulator
      .waitForFlowCall(call.sid, undefined, 10 * 60_000)
      .then((ended) => report(ended, simulator, options))
      .catch(() => undefined);
  };
  const first = setTimeout(place, 3_000);
  const every = setInterval(place, options.intervalMs ?? 120_000);
  first.unref();
  every.unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
    },
  };
}

async function report(
  call: SimFlowCall,
  simulator: ExotelSimulator,
  options: VoiceDemoOptions,
): Promise<void> {
  const path = call.applets.map((a) => `${a.type}${a.outcome ? ` (${a.outcome})` : ''}`).join(' -> ');
  const callback = await simulator
    .waitForCallback((d) => d.callSid === call.sid && d.eventType === 'terminal', 60_000)
    .catch(() => undefined);
  const stream = call.streams[0];
  options.log(
    {
      callSid: call.sid,
      flow: path,
      streamSeconds:
        stream?.endedAt && stream.openedAt ? Math.round((stream.endedAt - stream.openedAt) / 100) / 10 : null,
      botChunks: stream?.botChunks.length ?? 0,
      transferredTo: call.bridge?.number ?? null,
      statusCallback: callback
        ? (callback.attempts[callback.attempts.length - 1]?.status ?? 'no answer')
        : 'not sent',
    },
    'demo: voice-AI call finished: passthru -> stream -> transfer -> status callback',
  );
}
