/**
 * One line for an error of `listen()` a user can fix with a flag (a taken or privileged port, a host
 * that is not this machine's or does not resolve); `undefined` for anything else, which is a bug
 * worth its stack trace.
 */
export function describeListenError(error: unknown, at: { port: number; host: string }): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  const port = `pass --port <n> (0 picks a free one) or set SIMULATOR_PORT`;
  const host = `pass --host <address> (127.0.0.1, 0.0.0.0 or one of this machine's addresses) or set SIMULATOR_HOST`;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${at.port} is in use on ${at.host}; ${port}`;
    case 'EACCES':
    case 'EPERM':
      return `not allowed to listen on port ${at.port}${at.port < 1024 ? ' (ports below 1024 need privileges)' : ''}; ${port}`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on host ${at.host}: it is not an address of this machine; ${host}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return `cannot listen on host ${at.host}: the name does not resolve; ${host}`;
    default:
      return undefined;
  }
}
