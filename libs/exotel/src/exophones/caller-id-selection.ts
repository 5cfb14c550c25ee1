import type { CallDirection, CallerIdCandidate, CallerIdChoice, CallerIdRule } from './exophone-health.types';

/**
 * Picks the caller id for a call, after Exotel's own advice for a downtime (move traffic to an
 * ExoPhone of another region):
 *
 * 1. the preferred ExoPhone, when it is `active` in this direction;
 * 2. else the first of Exotel's `alternate_exophone` suggestions that is `active`;
 * 3. else the first `active` ExoPhone of the pool in another region, then in the same region;
 * 4. else the preferred one if its health is merely `unknown` (not known to be down: before the
 *    first heartbeat, nothing is known healthy, and refusing every call would be worse);
 * 5. else nothing (the caller raises `NoHealthyCallerIdError`).
 */
export function selectCallerId(
  preferredRef: string,
  preferred: CallerIdCandidate | undefined,
  direction: CallDirection,
  resolve: (ref: string) => CallerIdCandidate | undefined,
  pool: readonly CallerIdCandidate[],
): CallerIdChoice | undefined {
  const choose = (candidate: CallerIdCandidate, rule: CallerIdRule, reason: string): CallerIdChoice => ({
    preferred: preferredRef,
    chosen: candidate.sid,
    chosenPhoneNumber: candidate.phoneNumber,
    rule,
    reason,
  });
  if (!preferred) {
    return {
      preferred: preferredRef,
      chosen: preferredRef,
      chosenPhoneNumber: null,
      rule: 'preferred',
      reason: 'not in the ExoPhone inventory; used as given',
    };
  }
  if (preferred.state === 'active') return choose(preferred, 'preferred', `${direction} is active`);

  for (const ref of preferred.alternates) {
    const alternate = resolve(ref);
    if (alternate && alternate.sid !== preferred.sid && alternate.state === 'active') {
      return choose(
        alternate,
        'alternate',
        `${preferred.sid} is ${preferred.state}; Exotel suggests ${alternate.sid}, which is active`,
      );
    }
  }

  const healthy = pool.filter((c) => c.sid !== preferred.sid && c.state === 'active');
  const otherRegion = healthy.find((c) => c.region !== null && c.region !== preferred.region);
  const fallback = otherRegion ?? healthy[0];
  if (fallback) {
    const where = otherRegion ? `another region (${otherRegion.region})` : 'the pool';
    return choose(
      fallback,
      'pool',
      `${preferred.sid} is ${preferred.state}; ${fallback.sid} in ${where} is active`,
    );
  }

  if (preferred.state === 'unknown') {
    return choose(preferred, 'preferred', `${direction} health is unknown and no ExoPhone is known healthy`);
  }
  return undefined;
}
