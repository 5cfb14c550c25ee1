/** A console API error, with the stable code the server answered. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The console's calls to its server. The session is the HttpOnly cookie the browser sends by
 * itself; actions also send the session's anti-forgery token, kept in memory only (a reload asks
 * the server for it again).
 */
export class ConsoleApi {
  private token?: string;
  /** Called when the server no longer knows the session (expired, signed out, key rotated). */
  onSignedOut: () => void = () => undefined;

  /** `token`: the session's, when the page came with one (a reload of a signed-in console). */
  constructor(
    readonly base: string,
    token?: string,
  ) {
    this.token = token;
  }

  /** Whether the page came with a session. */
  get hasSession(): boolean {
    return this.token !== undefined;
  }

  /** Signs in with a management API key; the key goes in the body, never in a URL. */
  async signIn(key: string): Promise<void> {
    const answer = await this.request<{ token: string }>('POST', '/api/session', { key }, false);
    this.token = answer.token;
  }

  /** Whether a session exists (after a reload), fetching its token. */
  async resume(): Promise<boolean> {
    try {
      this.token = (await this.request<{ token: string }>('GET', '/api/session', undefined, false)).token;
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return false;
      throw error;
    }
  }

  async signOut(): Promise<void> {
    await this.request('DELETE', '/api/session').catch(() => undefined);
    this.token = undefined;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown, signOutOn401 = true): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.token) headers['X-Console-Token'] = this.token;
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (response.status === 204) return undefined as T;
    const answer = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
    if (!response.ok) {
      if (response.status === 401 && signOutOn401) this.onSignedOut();
      throw new ApiError(response.status, answer.code ?? 'ERROR', answer.message ?? response.statusText);
    }
    return answer as T;
  }
}
