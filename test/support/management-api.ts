import type { TestService } from './test-service';

/**
 * Calls the service's management API as a client would (Bearer key unless `auth` is false; JSON
 * body when given). Answers are checked with matchers field by field, so the body is left loose.
 */
export async function callManagementApi(
  service: Pick<TestService, 'url' | 'auth'>,
  method: string,
  path: string,
  body?: unknown,
  auth = true,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      ...(auth ? service.auth : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}
