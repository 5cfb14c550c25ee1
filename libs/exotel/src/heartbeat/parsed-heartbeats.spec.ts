import { ManualClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { parseHeartbeat } from './heartbeat-payload';
import { ParsedHeartbeats } from './parsed-heartbeats';

const payload = parseHeartbeat({ timestamp: '2026-11-23T10:00:00Z', status_type: 'OK', data: {} });

describe('ParsedHeartbeats', () => {
  let held: ParsedHeartbeats;

  beforeEach(() => {
    const heartbeat = { maxBodyBytes: 1_000 } as ResolvedExotelOptions['heartbeat'];
    held = new ParsedHeartbeats(heartbeat, new ManualClock('2026-11-23T10:00:00Z'));
  });

  afterEach(() => held.onApplicationShutdown());

  it('holds a few heartbeats at most, dropping the least recently received', () => {
    for (let i = 0; i < 10; i++) held.hold(`h${i}`, payload, 10);
    expect(held.ids()).toHaveLength(8);
    expect(held.get('h0')).toBeUndefined();
    expect(held.get('h9')).toBe(payload);
  });

  it("holds three of the largest bodies' worth of bytes at most", () => {
    for (let i = 0; i < 4; i++) held.hold(`h${i}`, payload, 1_000);
    expect(held.bytes()).toBe(3_000);
    expect(held.ids().sort()).toEqual(['h1', 'h2', 'h3']);
    held.hold('huge', payload, 3_001);
    expect(held.get('huge')).toBeUndefined();
  });

  it('forgets what it was told to drop', () => {
    held.hold('h', payload, 10);
    held.drop('h');
    expect(held.ids()).toEqual([]);
    expect(held.bytes()).toBe(0);
  });
});
