import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { ConsoleApi } from '../api';
import { useLive, useNow, type Bus } from '../bus';
import { covered, coveredMs } from '../coverage';
import { clock, when } from '../format';
import type { Clock, Ticket } from '../types';

interface Board {
  readonly now: string;
  readonly open: Ticket[];
  readonly recent: Ticket[];
}

/** One SLA clock, counting down in coverage time while it runs. */
function Countdown({
  label,
  state,
  ticket,
  loadedAt,
  now,
}: {
  label: string;
  state: Clock;
  ticket: Ticket;
  loadedAt: number;
  now: number;
}) {
  let text: string;
  let tone: string;
  if (state.metAt) {
    text = `met ${when(state.metAt)}${state.breached ? ' (late)' : ''}`;
    tone = state.breached ? 'breached' : 'met';
  } else if (state.paused) {
    text = 'paused: waiting on the customer';
    tone = 'paused';
  } else {
    const left = state.remainingMs - coveredMs(ticket.coverage, loadedAt, now);
    const breached = state.breached || left <= 0;
    const running = covered(ticket.coverage, now);
    text = breached ? 'breached' : `${clock(left)} left${running ? '' : ' · stopped outside coverage hours'}`;
    tone = breached ? 'breached' : state.warning || left <= state.targetMs * 0.25 ? 'warning' : '';
  }
  return html`<div class=${`countdown ${tone}`} data-clock=${label.toLowerCase()}>
    <span class="side-label">${label}</span> <span class="countdown-value" role="timer">${text}</span>
  </div>`;
}

function Actions({ ticket, act }: { ticket: Ticket; act: (id: string, action: string) => void }) {
  const button = (action: string, label: string) =>
    html`<button
      type="button"
      onClick=${() => act(ticket.id, action)}
      aria-label=${`${label}: ${ticket.title}`}
    >
      ${label}
    </button>`;
  return html`<div class="actions">
    ${ticket.acknowledgement.metAt ? null : button('acknowledge', 'Acknowledge')}
    ${ticket.response.metAt ? null : button('respond', 'Respond')}
    ${ticket.status === 'open' && !ticket.response.metAt ? button('pause', 'Pause') : null}
    ${ticket.status === 'waiting_on_customer' ? button('resume', 'Resume') : null}
    ${button('resolve', 'Resolve')}
  </div>`;
}

function OpenTicketForm({ api, done }: { api: ConsoleApi; done: () => void }) {
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState('2');
  const [error, setError] = useState<string>();
  const submit = (e: Event) => {
    e.preventDefault();
    api
      .post('/api/tickets', { title, severity: Number(severity) })
      .then(() => {
        setTitle('');
        setError(undefined);
        done();
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  return html`<form class="inline-form" onSubmit=${submit} aria-label="Open a ticket">
    <label
      >Title
      <input
        required
        maxlength="200"
        value=${title}
        onInput=${(e: Event) => setTitle((e.target as HTMLInputElement).value)}
    /></label>
    <label
      >Severity
      <select value=${severity} onChange=${(e: Event) => setSeverity((e.target as HTMLSelectElement).value)}>
        <option value="1">1: outage</option>
        <option value="2">2: degraded</option>
        <option value="3">3</option>
        <option value="4">4</option>
      </select>
    </label>
    <button type="submit">Open ticket</button>
    ${error ? html`<p role="alert">${error}</p>` : null}
  </form>`;
}

/** Open tickets with their acknowledgement and response clocks, live. */
export function SupportView({ api, bus }: { api: ConsoleApi; bus: Bus }) {
  const [loadedAt, setLoadedAt] = useState(Date.now());
  const [error, setError] = useState<string>();
  const board = useLive(bus, 'tickets', () =>
    api.get<Board>('/api/tickets').then((b) => {
      setLoadedAt(Date.now());
      return b;
    }),
  );
  const now = useNow();
  const act = (id: string, action: string) => {
    api
      .post(`/api/tickets/${encodeURIComponent(id)}/${action}`)
      .then(() => {
        setError(undefined);
        board.reload();
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  const open = board.data?.open ?? [];
  return html`<section aria-labelledby="support-title">
    <h2 id="support-title">Support tickets</h2>
    <${OpenTicketForm} api=${api} done=${board.reload} />
    ${error || board.error ? html`<p role="alert">${error ?? board.error}</p>` : null}
    ${open.length === 0 ? html`<p class="muted">No open ticket.</p>` : null}
    <ul class="cards" aria-label="Open tickets">
      ${open.map((t) => {
        const breached = t.acknowledgement.breached || t.response.breached;
        return html`<li
          key=${t.id}
          class=${`card ticket ${breached ? 'is-breached' : ''}`}
          data-ticket=${t.id}
        >
          <div class="cell-head">
            <strong>${t.title}</strong>
            <span class="tag">Sev ${t.severity}</span>
            <span class="tag">${t.plan}</span>
            ${t.status === 'waiting_on_customer' ? html`<span class="tag">waiting on customer</span>` : null}
            ${breached ? html`<span class="tag tag-alert">SLA breached</span>` : null}
          </div>
          <div class="muted small">
            opened ${when(t.openedAt)}${t.incidentId ? ` · incident ${t.incidentId}` : ''}
          </div>
          <${Countdown}
            label="Acknowledgement"
            state=${t.acknowledgement}
            ticket=${t}
            loadedAt=${loadedAt}
            now=${now}
          />
          <${Countdown} label="Response" state=${t.response} ticket=${t} loadedAt=${loadedAt} now=${now} />
          <${Actions} ticket=${t} act=${act} />
        </li>`;
      })}
    </ul>
    <h3>Recently resolved</h3>
    <ul class="plain">
      ${(board.data?.recent ?? []).map((t) => html`<li key=${t.id}>${t.title} · Sev ${t.severity} · opened ${when(t.openedAt)}</li>`)}
    </ul>
  </section>`;
}
