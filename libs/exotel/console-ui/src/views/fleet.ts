import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { ConsoleApi } from '../api';
import { useLive, type Bus } from '../bus';
import { count, STATE_LABELS, when } from '../format';
import type { Direction, ExoPhone, HealthState, Summary } from '../types';

const PAGE = 200;
const STATES: HealthState[] = ['active', 'partial_network_outage', 'major_outage', 'unknown'];

/** Sets the operator's customer-facing mark of an ExoPhone (null: follow the options). */
type Mark = (sid: string, customerFacing: boolean | null) => void;

/** The operator's customer-facing mark: turn it the other way, or hand the ExoPhone back to the options. */
function MarkActions({ phone, mark }: { phone: ExoPhone; mark: Mark }) {
  const name = phone.phoneNumber ?? phone.sid;
  const button = (label: string, customerFacing: boolean | null) =>
    html`<button
      type="button"
      aria-label=${`${label}: ${name}`}
      onClick=${() => mark(phone.sid, customerFacing)}
    >
      ${label}
    </button>`;
  return html`<div class="actions">
    ${phone.customerFacing ? button('Mark not customer-facing', false) : button('Mark customer-facing', true)}
    ${phone.customerFacingMark === null ? null : button('Follow options', null)}
  </div>`;
}

function Cell({ phone, mark }: { phone: ExoPhone; mark: Mark }) {
  const side = (label: string, direction: Direction) => {
    const health = phone[direction];
    return html`<div class="side" data-direction=${direction} data-state=${health.state}>
      <span class="side-label">${label}</span>
      <span class=${`badge state-${health.state}`}>${STATE_LABELS[health.state]}</span>
      ${health.alternates.length > 0 ? html`<span class="alt">alt ${health.alternates.join(', ')}</span>` : null}
    </div>`;
  };
  return html`<li
    class="cell"
    data-sid=${phone.sid}
    data-outgoing-state=${phone.outgoing.state}
    data-customer-facing=${String(phone.customerFacing)}
  >
    <div class="cell-head">
      <strong>${phone.phoneNumber ?? phone.sid}</strong>
      ${
        phone.customerFacing
          ? html`<span class="tag" title="Printed on a website">customer-facing</span>`
          : null
      }
      ${
        phone.customerFacingMark === null
          ? null
          : html`<span class="tag" title="Set by an operator; inventory syncs keep it">operator mark</span>`
      }
    </div>
    <div class="muted small">${phone.sid}${phone.region ? ` · ${phone.region}` : ''}</div>
    ${side('In', 'incoming')} ${side('Out', 'outgoing')}
    <div class="muted small">since ${when(phone.healthChangedAt)}</div>
    <${MarkActions} phone=${phone} mark=${mark} />
  </li>`;
}

/** Every ExoPhone as a cell: filtered, searched and paged on the server (50,000 stay usable). */
export function FleetView({ api, bus, summary }: { api: ConsoleApi; bus: Bus; summary?: Summary }) {
  const [direction, setDirection] = useState<'' | Direction>('outgoing');
  const [state, setState] = useState<'' | HealthState>('');
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  if (direction) query.set('direction', direction);
  if (state) query.set('state', state);
  if (search.trim()) query.set('search', search.trim());
  const page = useLive(
    bus,
    'fleet',
    () => api.get<{ items: ExoPhone[]; total: number }>(`/api/exophones?${query}`),
    [query.toString()],
  );
  const [error, setError] = useState<string>();
  const mark: Mark = (sid, customerFacing) => {
    api
      .put(`/api/exophones/${encodeURIComponent(sid)}/customer-facing`, { customerFacing })
      .then(() => {
        setError(undefined);
        page.reload();
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  const counts = summary?.counts[direction || 'outgoing'];
  const total = page.data?.total ?? 0;
  const choose = (next: '' | HealthState) => {
    setState(next);
    setOffset(0);
  };
  return html`<section aria-labelledby="fleet-title">
    <h2 id="fleet-title">Fleet</h2>
    <form class="filters" role="search" onSubmit=${(e: Event) => e.preventDefault()}>
      <label
        >Direction
        <select
          value=${direction}
          onChange=${(e: Event) => setDirection((e.target as HTMLSelectElement).value as Direction)}
        >
          <option value="outgoing">Outgoing</option>
          <option value="incoming">Incoming</option>
          <option value="">Either</option>
        </select>
      </label>
      <label
        >Search
        <input
          type="search"
          placeholder="SID or number"
          value=${search}
          onInput=${(e: Event) => {
            setSearch((e.target as HTMLInputElement).value);
            setOffset(0);
          }}
      /></label>
    </form>
    <div class="state-filters" role="group" aria-label="Filter by state">
      <button type="button" aria-pressed=${state === ''} onClick=${() => choose('')}>All</button>
      ${STATES.map(
        (s) =>
          html`<button
            type="button"
            class=${`state-${s}`}
            aria-pressed=${state === s}
            onClick=${() => choose(s)}
          >
            ${STATE_LABELS[s]} <span class="num" data-count=${s}>${counts ? count(counts[s]) : '…'}</span>
          </button>`,
      )}
    </div>
    ${error || page.error ? html`<p role="alert">${error ?? page.error}</p>` : null}
    <p class="muted" aria-live="polite">
      ${total === 0 ? 'No ExoPhone matches.' : `${count(offset + 1)}–${count(Math.min(offset + PAGE, total))} of ${count(total)}`}
    </p>
    <ul class="grid" aria-label="ExoPhones">
      ${(page.data?.items ?? []).map((phone) => html`<${Cell} key=${phone.sid} phone=${phone} mark=${mark} />`)}
    </ul>
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - PAGE))}>
        Previous
      </button>
      <button type="button" disabled=${offset + PAGE >= total} onClick=${() => setOffset(offset + PAGE)}>
        Next
      </button>
    </nav>
  </section>`;
}
