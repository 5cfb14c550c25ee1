import type { SimEndpoint } from '../faults/endpoints';
import type { FormFields } from './form-fields';
import type { Reply } from './reply';

/** Which API family a route belongs to: it decides the error envelope. */
export type ApiFamily = 'v1' | 'v2_beta' | 'v2';

/** What a route handler gets. */
export interface RouteContext {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The form body of a POST. */
  readonly form?: FormFields;
  /** v2 `request_id` of this request. */
  readonly requestId: string;
  /** Set by Calls/connect: the SID of the call the request placed. */
  placedCallSid?: string;
}

/** One simulated Exotel endpoint. */
export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  /** Matches the path; named groups become `params` (`sid` is the account SID in the path). */
  readonly pattern: RegExp;
  readonly endpoint: SimEndpoint;
  readonly family: ApiFamily;
  handle(context: RouteContext): Reply | Promise<Reply>;
}

/** The route for a method and path, with its params; undefined when none matches. */
export function matchRoute(
  routes: readonly ApiRoute[],
  method: string,
  path: string,
): { route: ApiRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, params: decodeParams(match.groups ?? {}) };
  }
  return undefined;
}

/** The API family of a path, for answering requests no route matched. */
export function familyOfPath(path: string): ApiFamily {
  if (path.startsWith('/v2/')) return 'v2';
  if (path.startsWith('/v2_beta/')) return 'v2_beta';
  return 'v1';
}

/** True for a v1 path called without `.json`: Exotel answers XML there. */
export function wantsXml(family: ApiFamily, path: string): boolean {
  return family === 'v1' && !/\.json(\/|$)/.test(path);
}

function decodeParams(groups: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(groups)) {
    if (value === undefined) continue;
    try {
      out[key] = decodeURIComponent(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}
