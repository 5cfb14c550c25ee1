// Bundles the operations console (libs/exotel/console-ui, Preact + htm) into the package's
// dist/console-ui/, where ConsoleController serves it: one script and one stylesheet, no CDN, so
// the console works offline. `npm run build` runs it after tsc; the browser tests run it too.
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'libs/exotel/console-ui/src');
const out = join(root, 'libs/exotel/dist/console-ui');

await mkdir(out, { recursive: true });
await build({
  // main.ts imports console.css: esbuild writes it beside the script as console.css.
  entryPoints: { console: join(source, 'main.ts') },
  outdir: out,
  entryNames: '[name]',
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  legalComments: 'none',
  logLevel: 'warning',
});
