import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
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
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-console.mjs')], {
    stdio: 'inherit',
  });
}
