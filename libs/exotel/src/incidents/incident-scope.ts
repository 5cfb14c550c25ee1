import type { CallDirection } from '../exophones/exophone-health.types';

/** One affected direction of one ExoPhone. */
export interface AffectedDirection {
  readonly exoPhoneSid: string;
  readonly direction: CallDirection;
}

/** Everything: every ExoPhone of the account and Exotel's API (Exotel-specific downtime). */
export const EXOTEL_SCOPE = 'exotel';
/** The latency of Exotel's API (degraded performance). */
export const API_LATENCY_SCOPE = 'api:latency';
/** Region of ExoPhones whose circle is not known. */
const UNKNOWN_REGION = 'unknown';

/** An incident's or a maintenance window's scope, parsed. */
export type ParsedScope =
  | { readonly kind: 'exotel' }
  | { readonly kind: 'api_latency' }
  | { readonly kind: 'region'; readonly region: string }
  | { readonly kind: 'exophone'; readonly sid: string };

/** Syntax of a scope, for request validation. */
export const SCOPE_PATTERN =
  /^(exotel|api:latency|region:[A-Za-z0-9_-]{1,10}|exophone:[A-Za-z0-9+_-]{1,64})$/;

/** Scope of the ExoPhones of one telecom circle (`region:KA`); `region:unknown` when not known. */
export function regionScope(region: string | null): string {
  return `region:${region ? region.toUpperCase() : UNKNOWN_REGION}`;
}

/** Scope of one ExoPhone. */
function exoPhoneScope(sid: string): string {
  return `exophone:${sid}`;
}

/** Parses a scope; null when it is not one. Region codes are upper-cased (`region:ka` is `region:KA`). */
export function parseScope(scope: string): ParsedScope | null {
  if (!SCOPE_PATTERN.test(scope)) return null;
  if (scope === EXOTEL_SCOPE) return { kind: 'exotel' };
  if (scope === API_LATENCY_SCOPE) return { kind: 'api_latency' };
  const [kind, value] = [scope.slice(0, scope.indexOf(':')), scope.slice(scope.indexOf(':') + 1)];
  if (kind === 'region')
    return {
      kind: 'region',
      region: value.toLowerCase() === UNKNOWN_REGION ? UNKNOWN_REGION : value.toUpperCase(),
    };
  return { kind: 'exophone', sid: value };
}

/** The canonical spelling of a parsed scope. */
export function formatScope(scope: ParsedScope): string {
  switch (scope.kind) {
    case 'exotel':
      return EXOTEL_SCOPE;
    case 'api_latency':
      return API_LATENCY_SCOPE;
    case 'region':
      return `region:${scope.region}`;
    case 'exophone':
      return exoPhoneScope(scope.sid);
  }
}

/** Whether an ExoPhone (by SID and region) is inside a scope. `exotel` holds every ExoPhone. */
export function scopeContains(scope: string, sid: string, region: string | null): boolean {
  const parsed = parseScope(scope);
  if (!parsed) return false;
  switch (parsed.kind) {
    case 'exotel':
      return true;
    case 'api_latency':
      return false;
    case 'region':
      return regionScope(region) === `region:${parsed.region}`;
    case 'exophone':
      return parsed.sid === sid;
  }
}

/**
 * Whether a maintenance window on `outer` covers an incident of `scope` affecting `affected`:
 * `exotel` covers everything, a scope covers itself, and a window covers an incident whose
 * affected ExoPhones all lie inside it.
 */
export function scopeCovers(
  outer: string,
  scope: string,
  affected: readonly AffectedDirection[],
  regionOf: (sid: string) => string | null,
): boolean {
  if (outer === EXOTEL_SCOPE || outer === scope) return true;
  if (affected.length === 0) return false;
  return affected.every((a) => scopeContains(outer, a.exoPhoneSid, regionOf(a.exoPhoneSid)));
}
