import { configure } from 'safe-stable-stringify';

// Fields keep the order they were written in; cycles and BigInts never throw in a log call.
const stringify = configure({ deterministic: false, bigint: true, circularValue: '[Circular]' });

// What a credential's value is logged as.
const REDACTED = '[redacted]';

// Field names compared lower-cased without `-`/`_`: `key` alone or after a credential word (`apiKey`,
// `x-api-key`, `webhookKey`, but not `idempotencyKey`), or a credential word anywhere (`apiToken`,
// `client_secret`, `password`). Matching too much costs a field; too little leaks a credential.
const SECRET_NAME =
  /(?:^|api|auth|private|access|secret|signing|webhook|encryption)keys?$|token|secret|passw(?:or)?d|passphrase|authorization|cookie|credential/;

// A string needs quotes when it would be ambiguous or invisible unquoted.
const NEEDS_QUOTES = /^$|[\s"'`=,()\\\p{Cc}]/u;

const LINE_BREAKS = /[\r\n\u2028\u2029]/g;
const ESCAPED_BREAK: Readonly<Record<string, string>> = {
  '\r': '\\r',
  '\n': '\\n',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * One log line, `message (key=value, key2=value2)`, read the same by Nest's ConsoleLogger, pino
 * (nestjs-pino) and winston: Nest's `Logger` takes a second string as the context and prints an
 * object first argument as an object, while a single string works with every logger.
 *
 * Values: strings as they are unless they hold spaces, quotes, `=`, `,`, parentheses or control
 * characters (then JSON-quoted); numbers, booleans and `null` as they are; Dates in ISO 8601;
 * Errors as their message; arrays and objects as compact JSON. Undefined fields are left out.
 * Fields named like a credential (`token`, `secret`, `password`, `apiKey`, `authorization`,
 * `key`...), at any depth, are written as `[redacted]`. Line breaks are escaped: the result is
 * always one line.
 */
export function logLine(message: string, fields?: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue;
    parts.push(`${name}=${isSecretName(name) ? REDACTED : render(value)}`);
  }
  const line = parts.length > 0 ? `${message} (${parts.join(', ')})` : message;
  return line.replace(LINE_BREAKS, (c) => ESCAPED_BREAK[c] ?? c);
}

/**
 * The stack to pass as the second argument of `logger.error(message, stack)`, for failures nobody
 * expected (bugs, a database gone); expected failures log their message only.
 */
export function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}

// Whether a field of this name holds a credential.
function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.toLowerCase().replace(/[-_]/g, ''));
}

function render(value: unknown): string {
  if (typeof value === 'string') return NEEDS_QUOTES.test(value) ? JSON.stringify(value) : value;
  if (value instanceof Error) return render(value.message);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value !== null && typeof value === 'object') return stringify(value, redactNested) ?? '';
  if (typeof value === 'function') return '[function]';
  return String(value);
}

// JSON.stringify gives `{}` for an Error; its message is what a reader needs.
function redactNested(key: string, value: unknown): unknown {
  if (key !== '' && isSecretName(key)) return REDACTED;
  return value instanceof Error ? value.message : value;
}
