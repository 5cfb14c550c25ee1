import type { ExotelSimulator } from '../exotel-simulator';
import type { HeartbeatDelivery } from '../heartbeat/heartbeat-emitter';

/** How many ExoPhones the banner names; the rest are counted. */
const SHOWN_EXOPHONES = 4;

/**
 * What the CLI prints once listening: where to point a client, the credentials it accepts (the
 * simulator's own test values, printed on purpose), caller ids, heartbeats and a curl to try.
 */
export function startupBanner(simulator: ExotelSimulator): string {
  const { options } = simulator;
  const base = reachableUrl(simulator.baseUrl);
  const phones = simulator.exoPhones();
  const named = phones.slice(0, SHOWN_EXOPHONES).map((phone) => `${phone.sid} (${phone.region})`);
  const more = phones.length > SHOWN_EXOPHONES ? `, and ${phones.length - SHOWN_EXOPHONES} more` : '';
  const heartbeat = simulator.heartbeatSettings();
  const listening = new URL(simulator.baseUrl).host;
  const callerId = phones[0]?.sid ?? '<ExoPhone>';
  const connect = `${base}/v1/Accounts/${encodeURIComponent(simulator.accountSid)}/Calls/connect.json`;
  return [
    `Exotel simulator listening on ${listening}${base === simulator.baseUrl ? '' : ' (every interface)'}`,
    '',
    `  base URL      ${base}   (use it instead of https://api.exotel.com)`,
    `  account SID   ${simulator.accountSid}`,
    `  API key       ${simulator.apiKey}   (Basic auth user name)`,
    `  API token     ${simulator.apiToken}   (Basic auth password)`,
    `  ExoPhones     ${phones.length}, usable as CallerId: ${named.join(', ')}${more}; all: GET ${base}/_sim/exophones`,
    heartbeat
      ? `  heartbeat     POST ${redactUrl(heartbeat.url)} every ${heartbeat.intervalSeconds} s, the first one now`
      : `  heartbeat     off; PUT ${base}/_sim/heartbeat {"url":"…","intervalSeconds":60} starts it`,
    `  control API   ${base}/_sim   (script outcomes, inject faults, set ExoPhone health, read requests)`,
    `  behaviour     speed ${options.speed}x, seed ${options.seed}, latency ${options.latency ? 'on' : 'off'}, ` +
      `rate limits ${options.rateLimits ? 'on' : 'off'}` +
      (options.hostAliases ? `, answers as ${options.hostAliases.join(', ')}` : ''),
    '',
    'Try it:',
    `  curl -u ${shellWord(`${simulator.apiKey}:${simulator.apiToken}`)} ${shellWord(connect)} ` +
      `-d From=09876543210 -d To=09123456789 -d CallerId=${callerId}`,
    `  curl ${base}/_sim/calls`,
    '',
  ].join('\n');
}

/** One line on how the first heartbeat went, so a wrong target shows at once. */
export function firstHeartbeatLine(delivery: HeartbeatDelivery): string {
  const last = delivery.attempts.at(-1);
  const outcome = last?.status !== undefined ? `HTTP ${last.status}` : (last?.error ?? 'no answer');
  const tries = delivery.attempts.length === 1 ? '1 attempt' : `${delivery.attempts.length} attempts`;
  return delivery.ok
    ? `first heartbeat delivered to ${redactUrl(delivery.url)} (${outcome})\n`
    : `first heartbeat not delivered to ${redactUrl(delivery.url)} (${outcome} after ${tries}); ` +
        'the simulator keeps sending them every interval\n';
}

/** The base URL a client on this machine can use: `0.0.0.0` and `::` are not destinations. */
function reachableUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  else if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.origin;
}

/** The URL with secrets in its query (`?key=`, the receiver's webhook secret) masked. */
function redactUrl(raw: string): string {
  const url = new URL(raw);
  for (const name of [...url.searchParams.keys()])
    if (/key|secret|token|password|signature/i.test(name)) url.searchParams.set(name, '***');
  return url.toString().replace(/%2A%2A%2A/g, '***');
}

/** Quotes a word for a POSIX shell when it needs it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
