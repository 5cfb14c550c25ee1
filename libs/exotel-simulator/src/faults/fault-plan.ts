import type { SeededRandom } from '../support/random';
import { ALL_ENDPOINTS, VOICE_ENDPOINTS, type SimEndpoint } from './endpoints';
import type { SimulatedFault } from './fault';

/** Which requests a fault rule applies to, and how often. */
export interface FaultRule {
  readonly fault: SimulatedFault;
  /**
   * Endpoints it applies to: a list, `'voice'` (the v1 voice endpoints) or `'all'`.
   * @default ['connect']
   */
  readonly endpoints?: readonly SimEndpoint[] | 'voice' | 'all';
  /** Apply to the next `count` matching requests, then retire. @default 1 (unless `rate` is set) */
  readonly count?: number;
  /** Apply to each matching request with this probability (seeded) until cleared. */
  readonly rate?: number;
}

/** A rule as the simulator keeps it, with what is left of its count. */
export interface ActiveFaultRule extends FaultRule {
  readonly id: number;
  remaining?: number;
}

/**
 * The scripted faults, matched in the order they were added: the first rule that matches the
 * endpoint and still has a count left (or wins its seeded coin flip) decides the fault.
 */
export class FaultPlan {
  private rules: ActiveFaultRule[] = [];
  private nextId = 1;

  add(rule: FaultRule): ActiveFaultRule {
    const active: ActiveFaultRule = {
      ...rule,
      id: this.nextId++,
      remaining: rule.rate === undefined ? (rule.count ?? 1) : rule.count,
    };
    this.rules.push(active);
    return active;
  }

  /** The fault for one request to `endpoint`, consuming a count; undefined when none applies. */
  take(endpoint: SimEndpoint, random: SeededRandom): SimulatedFault | undefined {
    if (this.rules.length === 0) return undefined;
    for (const rule of this.rules) {
      if (!matches(rule, endpoint)) continue;
      if (rule.rate !== undefined && !random.chance(rule.rate)) continue;
      if (rule.remaining !== undefined) {
        rule.remaining -= 1;
        if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
      }
      return rule.fault;
    }
    return undefined;
  }

  list(): ActiveFaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.rules = [];
  }
}

function matches(rule: FaultRule, endpoint: SimEndpoint): boolean {
  const endpoints = rule.endpoints ?? ['connect'];
  const list = endpoints === 'all' ? ALL_ENDPOINTS : endpoints === 'voice' ? VOICE_ENDPOINTS : endpoints;
  return list.includes(endpoint);
}
