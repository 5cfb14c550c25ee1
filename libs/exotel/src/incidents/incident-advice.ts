import { selectCallerId, type CallerIdCandidate } from '../exophones/caller-id-selection';
import { matchesRef } from '../exophones/exophone-health.service';
import type { CallDirection } from '../exophones/exophone-health.types';
import type { PhoneHealth } from './health-shape';
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
  failoverPool: readonly string[],
): IncidentAdvice {
  const bySid = new Map(phones.map((p) => [p.sid, p]));
  const byNumber = new Map(phones.filter((p) => p.phoneNumber).map((p) => [p.phoneNumber!, p]));
  const pool = failoverPool.length
    ? phones.filter((p) => failoverPool.some((ref) => matchesRef(ref, p.sid, p.phoneNumber)))
    : phones;
  const healthyPool: Record<CallDirection, CallerIdCandidate[]> = {
    incoming: pool.filter((p) => p.incomingState === 'active').map((p) => candidate(p, 'incoming')),
    outgoing: pool.filter((p) => p.outgoingState === 'active').map((p) => candidate(p, 'outgoing')),
  };

  const moves: AdviceMove[] = [];
  for (const a of affected.slice(0, MOVES_LIMIT)) {
    const phone = bySid.get(a.exoPhoneSid);
    if (!phone) continue;
    const resolve = (ref: string) => {
      const found = bySid.get(ref) ?? byNumber.get(ref);
      return found && candidate(found, a.direction);
    };
    const choice = selectCallerId(
      phone.sid,
      candidate(phone, a.direction),
      a.direction,
      resolve,
      healthyPool[a.direction],
    );
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

function candidate(phone: PhoneHealth, direction: CallDirection): CallerIdCandidate {
  return {
    sid: phone.sid,
    phoneNumber: phone.phoneNumber,
    region: phone.region,
    state: direction === 'incoming' ? phone.incomingState : phone.outgoingState,
    alternates: (direction === 'incoming' ? phone.incomingAlternates : phone.outgoingAlternates) ?? [],
  };
}
