import type { FaultRandom } from './fault-seed';
import type { ServiceProcess } from './service-process';
import type { SimulatorProcess } from './simulator-process';

/** A customer's mobile and the agent the simulator answers for. */
const CUSTOMER = '+919876543210';
export const AGENT = '+919812345678';

const STATUSES = ['active', 'partial_network_outage', 'major_outage'] as const;

/** What the activity did: health flips in the simulator, calls and tickets through the API, by answer status. */
export interface ActivityCounts {
  healthFlips: number;
  calls: Record<string, number>;
  tickets: Record<string, number>;
}

/**
 * Ordinary traffic until stopped, one operation every `pauseMs`: an ExoPhone's health flips in the
 * simulator (the next heartbeat carries it), a call is placed, or a ticket is opened. The choices
 * come from `random`.
 */
export function startActivity(
  service: ServiceProcess,
  simulator: SimulatorProcess,
  exoPhoneSids: readonly string[],
  random: FaultRandom,
  pauseMs = 300,
): { stop(): Promise<ActivityCounts> } {
  const counts: ActivityCounts = { healthFlips: 0, calls: {}, tickets: {} };
  const tally = (into: Record<string, number>, status: number) => (into[status] = (into[status] ?? 0) + 1);
  let running = true;
  let ticket = 0;
  const loop = (async () => {
    while (running) {
      const roll = random.next();
      if (roll < 0.4) {
        await simulator.setHealth(
          random.pick(exoPhoneSids),
          random.pick(['incoming', 'outgoing'] as const),
          random.pick(STATUSES),
        );
        counts.healthFlips += 1;
      } else if (roll < 0.75) {
        const answer = await service.api('POST', '/calls', {
          from: CUSTOMER,
          to: AGENT,
          callerId: random.pick(exoPhoneSids),
        });
        tally(counts.calls, answer.status);
      } else {
        ticket += 1;
        const answer = await service.api('POST', '/tickets', {
          title: `Fault suite ticket ${ticket}`,
          severity: random.int(1, 4),
        });
        tally(counts.tickets, answer.status);
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return counts;
    },
  };
}
