import { RateWindow } from './rate-window';

describe('RateWindow', () => {
  it('accepts `limit` requests in any window and says how long until the next slot', () => {
    const window = new RateWindow(3, 60_000);
    expect([0, 10, 20].map((t) => window.take(t))).toEqual([0, 0, 0]);
    expect(window.take(30)).toBe(59_970);
    expect(window.take(60_000)).toBe(0);
    expect(window.take(60_001)).toBe(9);
    expect(window.take(60_010)).toBe(0);
    expect(window.take(60_020)).toBe(0);
    expect(window.take(60_021)).toBe(59_979);
  });

  it('slides: a burst at the end of one minute blocks the start of the next', () => {
    const window = new RateWindow(200, 60_000);
    for (let i = 0; i < 200; i++) expect(window.take(59_000)).toBe(0);
    expect(window.take(61_000)).toBe(58_000);
    window.reset();
    expect(window.take(61_000)).toBe(0);
  });
});
