import { Injectable } from '@nestjs/common';
import type { PassthruAnswer } from './passthru-answer';
import type { PassthruBranch } from './voice-call-records';
import { VoiceAgents } from './voice-agents';

/**
 * Decides what `GET /exotel/answer` answers: `ok` (HTTP 200, the flow's first choice) or `found`
 * (HTTP 302, the second). Replace it by providing another implementation (`overrideProvider` in
 * tests), or let an agent decide with `decidePassthru()`.
 */
export abstract class PassthruDecision {
  abstract decide(answer: PassthruAnswer): Promise<PassthruBranch>;
}

/**
 * The default decision: the agent chosen for the call (by a `agent` query parameter, else the
 * default agent) decides if it implements `decidePassthru`; otherwise `ok`.
 */
@Injectable()
export class AgentPassthruDecision extends PassthruDecision {
  constructor(private readonly agents: VoiceAgents) {
    super();
  }

  async decide(answer: PassthruAnswer): Promise<PassthruBranch> {
    const agent = this.agents.select(answer.raw.agent ? { agent: answer.raw.agent } : {});
    if (!agent?.agent.decidePassthru) return 'ok';
    return (await agent.agent.decidePassthru(answer)) === 'found' ? 'found' : 'ok';
  }
}
