import type { FailoverPlan } from '../exophones/exophone-directory.service';
import type { PhoneHealth } from '../exophones/exophone-health.types';
import type { AffectedDirection } from './incident-scope';
import type { AdviceMove, IncidentAdvice } from './incident.types';

// Advice for the first affected directions only: enough to act on, small enough for an event.
const MOVES_LIMIT = 20;

/**
 * Advice for an incident, after Exotel's troubleshooting steps for downtime: move traffic to a
 * healthy ExoPhone of another region (Exotel's own `alternate_exophone` first, then the failover
 * pool, the same selection calls use), and warn where that cannot help: an affected ExoPhone that
 * is customer-facing (printed on a website) keeps failing its callers until it is restored.
 */
export function incidentAdvice(
  affected: readonly AffectedDirection[],
  phones: readonly PhoneHealth[],
  failover: FailoverPlan,
): IncidentAdvice {
  const bySid = new Map(phones.map((p) => [p.sid, p]));
  const moves: AdviceMove[] = [];
  for (const a of affected.slice(0, MOVES_LIMIT)) {
    const phone = bySid.get(a.exoPhoneSid);
    if (!phone) continue;
    const choice = failover(phone.sid, a.direction);
    const moved = choice && choice.chosen !== phone.sid;
    moves.push({
      from: phone.sid,
      direction: a.direction,
      to: moved ? choice.chosen : null,
      toPhoneNumber: moved ? choice.chosenPhoneNumber : null,
      reason: moved ? choice.reason : `no healthy ExoPhone to move ${a.direction} traffic of ${phone.sid} to`,
    });
  }

  const warnings: string[] = [];
  const facing = [...new Set(affected.map((a) => a.exoPhoneSid))]
    .map((sid) => bySid.get(sid))
    .filter((p): p is PhoneHealth => p !== undefined && p.customerFacing);
  for (const phone of facing) {
    warnings.push(
      `ExoPhone ${phone.phoneNumber ?? phone.sid} is customer-facing (printed on a website): callers dial it ` +
        'directly, so moving traffic to another ExoPhone cannot help its inbound calls until it is restored',
    );
  }
  if (moves.length > 0 && moves.every((m) => m.to === null))
    warnings.push('no healthy ExoPhone is left to move traffic to');
  return { alternates: [...new Set(moves.flatMap((m) => (m.to ? [m.to] : [])))], warnings, moves };
}
