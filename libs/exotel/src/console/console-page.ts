import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A file of the console's bundle, ready to send. */
export interface ConsoleAsset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

/** The files the bundle consists of (written by `scripts/build-console.mjs`). */
const ASSETS: Readonly<Record<string, string>> = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/**
 * Where the bundle is: beside the compiled library in the package (`dist/console-ui/`), or, when
 * the library runs from its sources (this repository's tests), in the package's `dist/`.
 */
function bundleDirectory(): string | undefined {
  return [join(__dirname, '..', 'console-ui'), join(__dirname, '..', '..', 'dist', 'console-ui')].find(
    (dir) => existsSync(join(dir, 'console.js')),
  );
}

/** The console's static files, read once. */
export class ConsoleAssets {
  private readonly cache = new Map<string, ConsoleAsset>();

  /** A file of the bundle by name; undefined for any other name, or when the bundle is not built. */
  get(name: string): ConsoleAsset | undefined {
    const contentType = ASSETS[name];
    if (!contentType) return undefined;
    const cached = this.cache.get(name);
    if (cached) return cached;
    const dir = bundleDirectory();
    if (!dir) return undefined;
    const body = readFileSync(join(dir, name));
    const asset = {
      body,
      contentType,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
    };
    this.cache.set(name, asset);
    return asset;
  }
}

/** Headers of every console answer: nothing from elsewhere, never framed, no referrer. */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/**
 * The page: a shell the bundle fills in. `base` is the console's path, e.g. `/console`; `token`,
 * for a request that came with a valid session, is its anti-forgery token (a page another site
 * embeds or fetches never has it: the cookie is SameSite=Strict and the answer not readable across
 * origins), so the page starts without asking for it.
 */
export function consolePage(base: string, built: boolean, token?: string): string {
  const at = escapeHtml(base);
  const missing = built
    ? ''
    : '<p role="alert">The console bundle is not built: run <code>npm run build</code> (scripts/build-console.mjs).</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Exotel operations console</title>
<link rel="stylesheet" href="${at}/assets/console.css">
<script defer src="${at}/assets/console.js"></script>
</head>
<body>
<div id="console" data-base="${at}"${token ? ` data-token="${escapeHtml(token)}"` : ''}>${missing}<noscript>The console needs JavaScript.</noscript></div>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
