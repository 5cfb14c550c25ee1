import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests write their screenshots (gitignored). */
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'console');

/** Debian's Chromium, headless (`.ci/run` installs it when missing). */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}

/** Builds the console's bundle into libs/exotel/dist/console-ui, where the controller finds it. */
export function buildConsoleBundle(): void {
  // From test/console when run by Jest, from dist/test/console when compiled for the benchmarks.
  const script = [join(__dirname, '..', '..', 'scripts'), join(__dirname, '..', '..', '..', 'scripts')]
    .map((dir) => join(dir, 'build-console.mjs'))
    .find((path) => existsSync(path));
  if (!script) throw new Error(`scripts/build-console.mjs not found above ${__dirname}`);
  execFileSync(process.execPath, [script], { stdio: 'inherit' });
}
