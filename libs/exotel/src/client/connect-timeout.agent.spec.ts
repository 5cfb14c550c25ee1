import { AxiosError } from 'axios';
import { get } from 'node:http';
import { ExotelTimeoutError } from '../errors/exotel-timeout.error';
import { CONNECT_TIMEOUT_CODE, createKeepAliveAgents } from './connect-timeout.agent';
import { toExotelError } from './exotel-error.mapper';

describe('connect timeout', () => {
  it('destroys a socket that has not connected within the connect timeout', async () => {
    const agents = createKeepAliveAgents(100);
    const started = Date.now();
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      // A DNS lookup that never answers keeps the socket "connecting".
      const request = get(
        { host: 'exotel.invalid', port: 80, agent: agents.http, lookup: () => undefined },
        () => undefined,
      );
      request.on('error', resolve);
    });
    expect(error.code).toBe(CONNECT_TIMEOUT_CODE);
    expect(Date.now() - started).toBeLessThan(2_000);
    agents.http.destroy();
  });

  it('is reported as a timeout that Exotel cannot have received', () => {
    const axiosError = new AxiosError('connect timeout after 100 ms', CONNECT_TIMEOUT_CODE);
    const error = toExotelError(axiosError, {
      method: 'POST',
      path: '/v1/Accounts/{sid}/Calls/connect.json',
      connectTimeoutMs: 100,
      requestTimeoutMs: 1000,
    });
    expect(error).toBeInstanceOf(ExotelTimeoutError);
    expect(error).toMatchObject({ phase: 'connect', mayHaveBeenReceived: false, timeoutMs: 100 });
  });
});
