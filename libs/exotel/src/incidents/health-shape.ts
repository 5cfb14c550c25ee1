import { DIRECTIONS, type ExoPhoneHealthState, type PhoneHealth } from '../exophones/exophone-health.types';
import { EXOTEL_SCOPE, parseScope, regionScope, type AffectedDirection } from './incident-scope';
import type { IncidentOrigin } from './incident.types';

/** A scope the ExoPhones' health calls for. */
export interface ScopeFinding {
  readonly scope: string;
  readonly affected: AffectedDirection[];
  readonly origin: IncidentOrigin;
  readonly evidence: string[];
  /** False when a wider finding explains it (every ExoPhone down): no new incident for it. */
  readonly mayOpen: boolean;
}

/** A state that means calls fail (a partial outage counts: some calls fail). */
function isAffected(state: ExoPhoneHealthState): boolean {
  return state === 'partial_network_outage' || state === 'major_outage';
}

/** The affected directions of one ExoPhone. */
function affectedDirections(phone: PhoneHealth): AffectedDirection[] {
  return DIRECTIONS.filter((d) =>
    isAffected(d === 'incoming' ? phone.incomingState : phone.outgoingState),
  ).map((direction) => ({ exoPhoneSid: phone.sid, direction }));
}

/** The region of an ExoPhone as scopes spell it (`KA`, or `unknown`). */
export function regionOf(phone: Pick<PhoneHealth, 'region'>): string {
  return regionScope(phone.region).slice('region:'.length);
}

/**
 * Reads the shape of an outage from the ExoPhones' health, after Exotel's classes of downtime:
 * every ExoPhone affected (in two regions or more) is Exotel-specific; ExoPhones of one region
 * affected is the operator's (one region per finding: several regions down are several operator
 * incidents). A region finding while everything is down may keep its incident open but opens none.
 */
export function healthFindings(phones: readonly PhoneHealth[]): ScopeFinding[] {
  const byRegion = new Map<string, { total: number; affected: AffectedDirection[]; phones: number }>();
  let affectedPhones = 0;
  for (const phone of phones) {
    const region = regionOf(phone);
    const entry = byRegion.get(region) ?? { total: 0, affected: [], phones: 0 };
    const affected = affectedDirections(phone);
    entry.total++;
    if (affected.length > 0) {
      entry.phones++;
      affectedPhones++;
      entry.affected.push(...affected);
    }
    byRegion.set(region, entry);
  }
  const everything = phones.length >= 2 && byRegion.size >= 2 && affectedPhones === phones.length;
  const findings: ScopeFinding[] = [];
  if (everything) {
    findings.push({
      scope: EXOTEL_SCOPE,
      affected: [...byRegion.values()].flatMap((r) => r.affected),
      origin: 'exotel',
      evidence: [
        `every ExoPhone is affected: ${phones.length} of ${phones.length}, in ${byRegion.size} regions (${[
          ...byRegion.keys(),
        ]
          .sort()
          .join(', ')})`,
      ],
      mayOpen: true,
    });
  }
  const affectedRegions = [...byRegion.entries()].filter(([, r]) => r.phones > 0).map(([region]) => region);
  for (const region of affectedRegions.sort()) {
    const entry = byRegion.get(region)!;
    const others = phones.length - entry.total;
    const othersAffected = affectedPhones - entry.phones;
    const elsewhere =
      others === 0
        ? 'no ExoPhone elsewhere to compare with'
        : othersAffected === 0
          ? `every ExoPhone elsewhere is healthy (${others})`
          : `${othersAffected} of ${others} ExoPhones elsewhere affected too (${affectedRegions
              .filter((r) => r !== region)
              .join(', ')})`;
    findings.push({
      scope: regionScope(region === 'unknown' ? null : region),
      affected: entry.affected,
      origin: region === 'unknown' ? 'unknown' : 'operator',
      evidence: [`${entry.phones} of ${entry.total} ExoPhones in region ${region} affected`, elsewhere],
      mayOpen: !everything,
    });
  }
  return findings;
}

/**
 * The health of any ExoPhone scope (an incident opened by hand on `exophone:<sid>` too): its
 * affected directions, and whether its ExoPhone condition holds. Null for scopes health says
 * nothing about (`api:latency`).
 */
export function scopeHealth(
  scope: string,
  phones: readonly PhoneHealth[],
  findings: readonly ScopeFinding[],
): { affected: AffectedDirection[]; holds: boolean } | null {
  const parsed = parseScope(scope);
  if (!parsed || parsed.kind === 'api_latency') return null;
  const finding = findings.find((f) => f.scope === scope);
  if (parsed.kind === 'exotel') {
    // Not everything down: the scope's ExoPhone condition is over, but show what is still affected.
    return finding
      ? { affected: finding.affected, holds: true }
      : { affected: phones.flatMap(affectedDirections), holds: false };
  }
  if (parsed.kind === 'region') return { affected: finding?.affected ?? [], holds: finding !== undefined };
  const phone = phones.find((p) => p.sid === parsed.sid);
  const affected = phone ? affectedDirections(phone) : [];
  return { affected, holds: affected.length > 0 };
}
