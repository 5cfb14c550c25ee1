import 'reflect-metadata';
import { ExotelSimulator } from 'exotel-simulator';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { buildConsoleBundle, launchChromium } from '../test/console/console-browser';
import { startTestService } from '../test/support/test-service';
import { until } from '../test/support/until';
import type { Benchmark } from './benchmarks';
import { quantile } from './support/quantile';

const EXOPHONES = Number(process.env.BENCH_CONSOLE_EXOPHONES ?? 50_000);
const ROUNDS = Number(process.env.BENCH_CONSOLE_ROUNDS ?? 7);

/** The floor: a bare Node server sending a static page with the same 200 cells, no script. */
async function staticPage(): Promise<{ url: string; close: () => Promise<void> }> {
  const cells = Array.from(
    { length: 200 },
    (_, i) =>
      `<li class="cell"><strong>+9180${String(i).padStart(8, '0')}</strong><div>In Active</div><div>Out Active</div></li>`,
  ).join('');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>floor</title></head><body><ul>${cells}</ul></body></html>`;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The console's first paint with a large fleet, in Debian's Chromium: from navigation until the
 * first page of ExoPhone cells and the counts per state are on screen (sign-in already done), next
 * to a static page of the same cells from a bare server. Goal: under 1 s with 50,000 ExoPhones.
 * Also the console API's answers that the first paint waits for.
 */
export const consoleFleetBenchmark: Benchmark = {
  name: 'console-fleet',
  description: `operations console first paint with ${EXOPHONES.toLocaleString()} ExoPhones (Chromium)`,
  async run() {
    buildConsoleBundle();
    const simulator = new ExotelSimulator({ exoPhones: EXOPHONES, rateLimits: false });
    const service = await startTestService({ simulator });
    const browser = await launchChromium();
    const floor = await staticPage();
    try {
      // The inventory sync at start lists every ExoPhone; a slow probe leaves it the machine.
      await until(async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const answer = await fetch(`${service.url}/exophones?limit=1`, { headers: service.auth }).catch(
          () => null,
        );
        return ((await answer?.json()) as { total: number } | undefined)?.total === EXOPHONES;
      }, 600_000);
      const signIn = await fetch(`${service.url}/console/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ key: service.auth.Authorization.slice('Bearer '.length) }),
      });
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0].split('=');
      const timeApi = async (path: string) => {
        const times: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const started = performance.now();
          await (
            await fetch(`${service.url}/console${path}`, { headers: { Cookie: cookie.join('=') } })
          ).text();
          times.push(performance.now() - started);
        }
        return quantile(
          times.sort((a, b) => a - b),
          0.5,
        );
      };
      const paint = async (url: string, ready: () => boolean) => {
        const times: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const context = await browser.newContext();
          await context.addCookies([{ name: cookie[0], value: cookie[1], url: service.url }]);
          const page = await context.newPage();
          const started = performance.now();
          await page.goto(url, { waitUntil: 'commit' });
          await page.waitForFunction(ready, undefined, { polling: 'raf' });
          times.push(performance.now() - started);
          await context.close();
        }
        return quantile(
          times.sort((a, b) => a - b),
          0.5,
        );
      };
      const floorMs = await paint(floor.url, () => document.querySelectorAll('.cell').length === 200);
      // The first page of cells and the counts per state (they come from two requests).
      const consoleMs = await paint(
        `${service.url}/console`,
        () =>
          document.querySelectorAll('li[data-sid]').length > 0 &&
          /\d/.test(document.querySelector('[data-count="active"]')?.textContent ?? ''),
      );
      const summaryMs = await timeApi('/api/summary');
      const pageMs = await timeApi('/api/exophones?limit=200&direction=outgoing');
      const lastPageMs = await timeApi(
        `/api/exophones?limit=200&direction=outgoing&offset=${EXOPHONES - 200}`,
      );
      const searchMs = await timeApi('/api/exophones?limit=200&search=4567');
      process.stdout.write(
        `first paint, median of ${ROUNDS}: console ${consoleMs.toFixed(0)} ms (goal < 1000 ms), ` +
          `static page of the same cells ${floorMs.toFixed(0)} ms (floor)\n` +
          `console API, median: summary ${summaryMs.toFixed(1)} ms, first page ${pageMs.toFixed(1)} ms, ` +
          `last page ${lastPageMs.toFixed(1)} ms, search ${searchMs.toFixed(1)} ms\n`,
      );
    } finally {
      await floor.close();
      await browser.close();
      await service.close();
    }
  },
};
