import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import { CallDetails } from './calls/call-details';
import type { ExotelClient } from './client/exotel-client';
import { SystemClock } from './jobs/exotel-clock';
import type { ExotelDatabase } from './persistence/exotel-database';

// A host that keeps Nest's default logger: what the module's warnings look like there.
describe("the module's logs under Nest's ConsoleLogger", () => {
  let previous: LoggerService | undefined;
  let written: string[];

  beforeEach(() => {
    previous = Logger['staticInstanceRef'];
    Logger.overrideLogger(new ConsoleLogger({ colors: false }));
    written = [];
    for (const stream of [process.stdout, process.stderr])
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    if (previous) Logger.overrideLogger(previous);
  });

  it('writes a warning with fields as one line: context, message and key=value fields', async () => {
    // The database fails the read, so the call's details are not fetched and the service warns.
    const db = { read: () => Promise.reject(new Error('database is locked\nSQLITE_BUSY')) };
    const details = new CallDetails({} as ExotelClient, db as unknown as ExotelDatabase, new SystemClock());

    details.fetchSoon('call-42');
    await details.whenIdle();

    const lines = written.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('WARN');
    expect(lines[0]).toContain('[CallDetails]');
    expect(lines[0]).toContain(
      'Call details not read yet; the reconciliation job retries (callId=call-42, err="database is locked\\nSQLITE_BUSY")',
    );
    expect(lines[0]).not.toContain('Object(');
  });
});
