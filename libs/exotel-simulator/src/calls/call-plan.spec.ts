import { planCall, type PlanInput } from './call-plan';

const BASE: PlanInput = { leg1: {}, leg2: {}, ringLimit: 30, timeLimit: 14_400, defaultTalkSeconds: 30 };

describe('planCall', () => {
  it('rings leg 1, then leg 2, then talks for the default 30 s', () => {
    expect(planCall(BASE)).toEqual({
      answeredAt: [3, 6],
      end: 36,
      status: 'completed',
      legs: [
        { status: 'completed', answeredAt: 3, answeredBy: 'Human' },
        { status: 'completed', answeredAt: 6, answeredBy: 'Human' },
      ],
      conversation: 30,
    });
  });

  it('ends the conversation at the first party to hang up, or TimeLimit', () => {
    expect(planCall({ ...BASE, leg1: { talkSeconds: 10 }, leg2: { talkSeconds: 20 } }).conversation).toBe(10);
    expect(planCall({ ...BASE, leg1: { talkSeconds: 10 }, leg2: {} }).conversation).toBe(10);
    expect(planCall({ ...BASE, leg2: { talkSeconds: 50 }, timeLimit: 25 }).conversation).toBe(25);
    expect(planCall({ ...BASE, leg2: { hangupAfterSeconds: 4 } }).conversation).toBe(4);
  });

  it('cuts where a hang-up happens: ringing, waiting for leg 2, or talking', () => {
    expect(planCall({ ...BASE, cutAt: 1 })).toMatchObject({
      end: 1,
      status: 'no-answer',
      legs: [{ status: 'canceled' }, { status: null }],
    });
    expect(planCall({ ...BASE, cutAt: 4 })).toMatchObject({
      end: 4,
      status: 'no-answer',
      legs: [{ status: 'completed' }, { status: 'canceled' }],
    });
    expect(planCall({ ...BASE, cutAt: 10 })).toMatchObject({ end: 10, status: 'completed', conversation: 4 });
  });

  it('runs one-leg calls (flow, stream) from answer to hang-up', () => {
    expect(planCall({ ...BASE, leg2: undefined, leg1: { talkSeconds: 12 } })).toMatchObject({
      answeredAt: [3],
      end: 15,
      status: 'completed',
      legs: [{ status: 'completed' }],
      conversation: 12,
    });
  });

  it('fails at once when the network refuses the call', () => {
    expect(planCall({ ...BASE, failBeforeRinging: true })).toMatchObject({
      end: 1,
      status: 'failed',
      legs: [{ status: 'failed' }, { status: null }],
    });
  });
});
