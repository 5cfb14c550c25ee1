// Runs as a package's `prepack` (npm pack and npm publish, from the package's folder): copies the
// workspace's LICENSE into the package, and with --readme the workspace README too (nestjs-exotel's
// npm page is the repository's README, so the two cannot drift).
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
copyFileSync(resolve(root, 'LICENSE'), 'LICENSE');
if (process.argv.includes('--readme')) copyFileSync(resolve(root, 'README.md'), 'README.md');
