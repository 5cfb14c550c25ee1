import { describeListenError } from './listen-error';

const at = { port: 80, host: 'sim.internal' };
const failure = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

describe('describeListenError', () => {
  it('says which flag or variable fixes a port problem', () => {
    expect(describeListenError(failure('EADDRINUSE'), at)).toBe(
      'port 80 is in use on sim.internal; pass --port <n> (0 picks a free one) or set SIMULATOR_PORT',
    );
    expect(describeListenError(failure('EACCES'), at)).toBe(
      'not allowed to listen on port 80 (ports below 1024 need privileges); pass --port <n> (0 picks a free one) or set SIMULATOR_PORT',
    );
  });

  it('says which flag or variable fixes a host problem', () => {
    for (const code of ['EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']) {
      expect(describeListenError(failure(code), at)).toMatch(
        /^cannot listen on host sim\.internal: .*; pass --host <address> .* or set SIMULATOR_HOST$/,
      );
    }
  });

  it('leaves any other error to its stack trace', () => {
    expect(describeListenError(failure('EMFILE'), at)).toBeUndefined();
    expect(describeListenError(new TypeError('bug'), at)).toBeUndefined();
  });
});
