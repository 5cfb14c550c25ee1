import { html } from 'htm/preact';
import type { ConsoleApi } from '../api';
import { useLive, type Bus } from '../bus';
import { when } from '../format';
import type { CallBrief, LatencyChart } from '../types';

interface Board {
  readonly latest: CallBrief[];
  readonly unknown: CallBrief[];
  readonly latency: LatencyChart;
}

const SERIES = [
  { key: 'p50Ms', label: 'p50', threshold: 'p50Ms' },
  { key: 'p95Ms', label: 'p95', threshold: 'p95Ms' },
  { key: 'p99Ms', label: 'p99', threshold: 'p99Ms' },
] as const;

/** p50/p95/p99 per bucket over the hour, with Exotel's published figures as dashed lines. */
function Chart({ chart }: { chart: LatencyChart }) {
  const width = 600;
  const height = 220;
  const pad = { left: 48, right: 12, top: 10, bottom: 24 };
  const values = chart.buckets
    .flatMap((b) => [b.p50Ms, b.p95Ms, b.p99Ms])
    .filter((v): v is number => v !== null);
  const top = Math.max(chart.thresholds.p99Ms * 1.2, ...values) || 1;
  const x = (i: number) =>
    pad.left + (i * (width - pad.left - pad.right)) / Math.max(1, chart.buckets.length - 1);
  const y = (v: number) => pad.top + (1 - v / top) * (height - pad.top - pad.bottom);
  const line = (key: (typeof SERIES)[number]['key']) =>
    chart.buckets
      .map((b, i) => (b[key] === null ? null : `${x(i)},${y(b[key])}`))
      .filter((p): p is string => p !== null)
      .join(' ');
  const summary = SERIES.map((s) => {
    const last = [...chart.buckets].reverse().find((b) => b[s.key] !== null);
    return `${s.label} ${last ? `${last[s.key]} ms` : 'no data'} (Exotel ${chart.thresholds[s.threshold]} ms)`;
  }).join(', ');
  return html`<figure class="chart">
    <svg
      viewBox=${`0 0 ${width} ${height}`}
      role="img"
      aria-label=${`Calls/connect latency, last hour: ${summary}`}
    >
      ${[0, 0.5, 1].map(
        (f) =>
          html`<g
            ><line
              class="grid-line"
              x1=${pad.left}
              x2=${width - pad.right}
              y1=${y(top * f)}
              y2=${y(top * f)}
            />
            <text class="axis" x=${pad.left - 6} y=${y(top * f) + 4} text-anchor="end"
              >${Math.round(top * f)}</text
            ></g
          >`,
      )}
      ${SERIES.map(
        (s) =>
          html`<g class=${`series ${s.label}`}>
            <line
              class="threshold"
              x1=${pad.left}
              x2=${width - pad.right}
              y1=${y(chart.thresholds[s.threshold])}
              y2=${y(chart.thresholds[s.threshold])}
            />
            <polyline points=${line(s.key)} fill="none" />
          </g>`,
      )}
      <text class="axis" x=${pad.left} y=${height - 6}>−60 min</text>
      <text class="axis" x=${width - pad.right} y=${height - 6} text-anchor="end">now</text>
    </svg>
    <figcaption>
      ${SERIES.map((s) => html`<span class=${`legend ${s.label}`}>${s.label}</span>`)} · dashed: Exotel's
      published ${chart.thresholds.p50Ms} ms / ${chart.thresholds.p95Ms} ms / ${chart.thresholds.p99Ms} ms ·
      ${chart.bucketMinutes}-minute buckets
    </figcaption>
  </figure>`;
}

function CallTable({ calls, caption }: { calls: CallBrief[]; caption: string }) {
  if (calls.length === 0) return html`<p class="muted">${caption}: none.</p>`;
  return html`<div class="table-wrap">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">Requested</th>
          <th scope="col">To</th>
          <th scope="col">Caller id</th>
          <th scope="col">Outcome</th>
          <th scope="col">Status</th>
          <th scope="col">Latency</th>
        </tr>
      </thead>
      <tbody>
        ${calls.map(
          (c) =>
            html`<tr key=${c.id} data-call=${c.id}>
              <td>${when(c.requestedAt)}</td>
              <td>${c.to ?? '—'}</td>
              <td>${c.callerId ?? '—'}${c.failover ? ' (failover)' : ''}</td>
              <td class=${`outcome-${c.outcome}`}>
                ${c.outcome}${c.outcomeReason ? `: ${c.outcomeReason}` : ''}
              </td>
              <td>${c.status}</td>
              <td>${c.latencyMs === null ? '—' : `${c.latencyMs} ms`}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The latest calls, the unknown ones awaiting reconciliation, and Calls/connect latency. */
export function CallsView({ api, bus }: { api: ConsoleApi; bus: Bus }) {
  const board = useLive(bus, 'calls', () => api.get<Board>('/api/calls'));
  const data = board.data;
  return html`<section aria-labelledby="calls-title">
    <h2 id="calls-title">Calls</h2>
    ${board.error ? html`<p role="alert">${board.error}</p>` : null}
    ${data ? html`<${Chart} chart=${data.latency} />` : null}
    ${data ? html`<${CallTable} calls=${data.unknown} caption="Outcome unknown, awaiting reconciliation" />` : null}
    ${data ? html`<${CallTable} calls=${data.latest} caption="Latest calls" />` : null}
  </section>`;
}
