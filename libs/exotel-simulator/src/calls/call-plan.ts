import type { SimCallStatus, SimLegStatus } from './call-record';
import type { NumberScript } from './number-scripts';

/** What the lifecycle engine needs to plan one call. */
export interface PlanInput {
  /** Script of `From` (leg 1, dialled first). */
  readonly leg1: NumberScript;
  /** Script of `To` (leg 2); absent for flow and stream calls, which have one leg. */
  readonly leg2?: NumberScript;
  /** Ring time allowed per leg (`TimeOut`). */
  readonly ringLimit: number;
  /** Longest conversation (`TimeLimit`). */
  readonly timeLimit: number;
  /** Conversation length when neither party's script says. */
  readonly defaultTalkSeconds: number;
  /** The network fails the call before leg 1 rings (outage, DND). */
  readonly failBeforeRinging?: boolean;
  /** Someone hangs the call up at this offset (the control API's hang-up). */
  readonly cutAt?: number;
}

/** A leg's fate in the plan. */
interface PlannedLeg {
  readonly status: SimLegStatus;
  /** Offset at which it answered. */
  readonly answeredAt?: number;
  readonly answeredBy: string;
}

/** The timeline of a call, in simulated seconds from its creation. */
export interface CallPlan {
  /** Offsets of the `answered` events: leg 1 answered, then (two-number calls) leg 2 answered. */
  readonly answeredAt: readonly number[];
  readonly end: number;
  readonly status: SimCallStatus;
  readonly legs: readonly PlannedLeg[];
  /** Seconds both parties were connected (or the flow ran, for one-leg calls). */
  readonly conversation: number;
}

const DEFAULT_RING: Record<string, number> = { answer: 3, hangup: 3, busy: 2, failed: 1 };

/**
 * Plans a call from the scripts of its numbers: leg 1 rings and answers (or not); then leg 2 rings
 * and answers (or not); then the conversation runs until the first party hangs up or `TimeLimit`.
 * Leg 1 hanging up while leg 2 rings cancels leg 2, and the call ends `no-answer`.
 */
export function planCall(input: PlanInput): CallPlan {
  const cut = input.cutAt ?? Number.POSITIVE_INFINITY;
  const s1 = input.leg1;
  const idle = (status: SimLegStatus): PlannedLeg => ({ status, answeredBy: 'NA' });
  const leg2Idle = input.leg2 ? [idle(null)] : [];
  if (input.failBeforeRinging) {
    return {
      answeredAt: [],
      end: Math.min(1, cut),
      status: 'failed',
      legs: [idle('failed'), ...leg2Idle],
      conversation: 0,
    };
  }

  const ring1 = ringOf(s1, input.ringLimit);
  if (cut < ring1.at) {
    return {
      answeredAt: [],
      end: cut,
      status: 'no-answer',
      legs: [idle('canceled'), ...leg2Idle],
      conversation: 0,
    };
  }
  if (ring1.outcome !== 'answer') {
    return {
      answeredAt: [],
      end: ring1.at,
      status: ring1.outcome,
      legs: [idle(ring1.outcome), ...leg2Idle],
      conversation: 0,
    };
  }
  const a1 = ring1.at;
  const leg1 = { answeredAt: a1, answeredBy: s1.answeredBy ?? 'Human' };
  // Leg 1 leaves on its own (hangupAfterSeconds) or when cut, whatever the other leg does.
  const leave1 = Math.min(cut, a1 + hangupAfter(s1));

  if (!input.leg2) {
    const end = Math.min(leave1, a1 + (s1.talkSeconds ?? input.defaultTalkSeconds), a1 + input.timeLimit);
    return {
      answeredAt: [a1],
      end,
      status: 'completed',
      legs: [{ ...leg1, status: 'completed' }],
      conversation: end - a1,
    };
  }

  const s2 = input.leg2;
  const ring2 = ringOf(s2, input.ringLimit);
  const settled2 = a1 + ring2.at;
  if (leave1 < settled2) {
    return {
      answeredAt: [a1],
      end: leave1,
      status: 'no-answer',
      legs: [{ ...leg1, status: 'completed' }, idle('canceled')],
      conversation: 0,
    };
  }
  if (ring2.outcome !== 'answer') {
    return {
      answeredAt: [a1],
      end: settled2,
      status: ring2.outcome,
      legs: [{ ...leg1, status: 'completed' }, idle(ring2.outcome)],
      conversation: 0,
    };
  }
  const a2 = settled2;
  const talk1 = s1.talkSeconds ?? Number.POSITIVE_INFINITY;
  const talk2 =
    s2.talkSeconds ?? (s1.talkSeconds === undefined ? input.defaultTalkSeconds : Number.POSITIVE_INFINITY);
  const end = Math.min(leave1, a2 + talk1, a2 + talk2, a2 + hangupAfter(s2), a2 + input.timeLimit);
  return {
    answeredAt: [a1, a2],
    end,
    status: 'completed',
    legs: [
      { ...leg1, status: 'completed' },
      { status: 'completed', answeredAt: a2, answeredBy: s2.answeredBy ?? 'Human' },
    ],
    conversation: end - a2,
  };
}

function ringOf(
  script: NumberScript,
  ringLimit: number,
): { outcome: 'answer' | 'busy' | 'failed' | 'no-answer'; at: number } {
  const outcome = script.outcome ?? 'answer';
  if (outcome === 'no-answer') return { outcome, at: ringLimit };
  const at = script.ringSeconds ?? DEFAULT_RING[outcome];
  if (at >= ringLimit && outcome !== 'failed') return { outcome: 'no-answer', at: ringLimit };
  return { outcome: outcome === 'hangup' ? 'answer' : outcome, at };
}

function hangupAfter(script: NumberScript): number {
  if (script.hangupAfterSeconds !== undefined) return script.hangupAfterSeconds;
  return script.outcome === 'hangup' ? 1 : Number.POSITIVE_INFINITY;
}
