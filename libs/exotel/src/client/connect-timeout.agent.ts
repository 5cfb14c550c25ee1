import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/** Error code set on sockets that did not connect within the connect timeout. */
export const CONNECT_TIMEOUT_CODE = 'EXOTEL_CONNECT_TIMEOUT';

type CreateConnection = (options: object, callback?: (err: Error | null, socket: Duplex) => void) => Duplex;

/**
 * Keep-alive agents that also bound the time to establish a connection (DNS, TCP and TLS), which
 * Node's agents do not: the request timeout only starts to matter once Exotel has the request.
 * Failing to connect in time destroys the socket with `EXOTEL_CONNECT_TIMEOUT`, so callers know the
 * request was never sent.
 */
export function createKeepAliveAgents(connectTimeoutMs: number): { http: HttpAgent; https: HttpsAgent } {
  const options: AgentOptions = {
    keepAlive: true,
    keepAliveMsecs: 15_000,
    maxSockets: 64,
    // As many idle sockets as active ones: a burst of calls should not pay TLS handshakes again.
    maxFreeSockets: 64,
  };
  const http = new HttpAgent(options);
  const https = new HttpsAgent(options);
  armConnectTimeout(http, connectTimeoutMs, 'connect');
  armConnectTimeout(https, connectTimeoutMs, 'secureConnect');
  return { http, https };
}

function armConnectTimeout(
  agent: HttpAgent,
  timeoutMs: number,
  connectedEvent: 'connect' | 'secureConnect',
): void {
  const target = agent as unknown as { createConnection: CreateConnection };
  const create = target.createConnection.bind(agent);
  target.createConnection = (options, callback) => {
    const socket = create(options, callback) as Socket;
    if (!socket.connecting) return socket;
    const timer = setTimeout(() => {
      const error = Object.assign(new Error(`connect timeout after ${timeoutMs} ms`), {
        code: CONNECT_TIMEOUT_CODE,
      });
      socket.destroy(error);
    }, timeoutMs);
    const clear = () => clearTimeout(timer);
    socket.once(connectedEvent, clear);
    socket.once('close', clear);
    return socket;
  };
}
