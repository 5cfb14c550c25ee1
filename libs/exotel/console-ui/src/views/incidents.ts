import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleApi } from '../api';
import { useLive, useNow, type Bus } from '../bus';
import { relative, when } from '../format';
import type { Incident, MaintenanceWindow } from '../types';

interface Board {
  readonly open: Incident[];
  readonly recent: Incident[];
  readonly maintenance: MaintenanceWindow[];
}

function Timeline({ api, id }: { api: ConsoleApi; id: string }) {
  const [incident, setIncident] = useState<Incident>();
  useEffect(() => {
    void api.get<Incident>(`/api/incidents/${encodeURIComponent(id)}`).then(setIncident);
  }, [id]);
  if (!incident) return html`<p class="muted">Loading the timeline…</p>`;
  return html`<ol class="timeline">
    ${(incident.timeline ?? []).map((t) => html`<li><time>${when(t.at)}</time> <strong>${t.type}</strong> ${t.detail}</li>`)}
  </ol>`;
}

function IncidentCard({
  api,
  incident,
  now,
  resolve,
}: {
  api: ConsoleApi;
  incident: Incident;
  now: number;
  resolve?: (id: string) => void;
}) {
  const c = incident.classification;
  const [expanded, setExpanded] = useState(false);
  return html`<li
    class=${`card incident ${incident.status === 'open' ? 'is-open' : ''}`}
    data-incident=${incident.id}
  >
    <div class="cell-head">
      <strong>${incident.title}</strong>
      <span class="tag">${incident.kind.replace('_', ' ')}</span>
      <span class="tag">${c.origin}${c.planned ? ', planned' : ', unplanned'}</span>
    </div>
    <dl class="facts">
      <dt>Scope</dt>
      <dd>${incident.scope} (${incident.affectedTotal} affected)</dd>
      <dt>Opened</dt>
      <dd>${when(incident.openedAt)} (${relative(incident.openedAt, now)})</dd>
      <dt>Expected restore</dt>
      <dd>
        ${incident.expectedRestore.by ? `${when(incident.expectedRestore.from)} – ${when(incident.expectedRestore.by)}` : 'no ETA'}
      </dd>
      ${
        incident.escalatedAt
          ? html`<dt>Escalated</dt>
              <dd>${when(incident.escalatedAt)}</dd>`
          : null
      }
      ${
        incident.resolvedAt
          ? html`<dt>Resolved</dt>
              <dd>${when(incident.resolvedAt)}</dd>`
          : null
      }
      <dt>RCA due</dt>
      <dd>
        ${incident.rca ? `recorded: ${incident.rca.summary}` : incident.rcaDueAt ? `${when(incident.rcaDueAt)} (${relative(incident.rcaDueAt, now)})` : '—'}
      </dd>
    </dl>
    ${incident.advice.warnings.map((w) => html`<p class="warning-text">${w}</p>`)}
    <details onToggle=${(e: Event) => setExpanded((e.target as HTMLDetailsElement).open)}>
      <summary>Timeline and evidence</summary>
      <ul class="plain small">
        ${c.evidence.map((e) => html`<li>${e}</li>`)}
      </ul>
      ${expanded ? html`<${Timeline} api=${api} id=${incident.id} />` : null}
    </details>
    ${resolve ? html`<div class="actions"><button type="button" onClick=${() => resolve(incident.id)}>Resolve</button></div>` : null}
  </li>`;
}

function DeclareForm({ api, done }: { api: ConsoleApi; done: () => void }) {
  const [scope, setScope] = useState('exotel');
  const [kind, setKind] = useState('outage');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string>();
  const submit = (e: Event) => {
    e.preventDefault();
    api
      .post('/api/incidents', { scope, kind, ...(title ? { title } : {}) })
      .then(() => {
        setError(undefined);
        setTitle('');
        done();
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  return html`<form class="inline-form" onSubmit=${submit} aria-label="Declare an incident">
    <label
      >Scope
      <input
        required
        value=${scope}
        onInput=${(e: Event) => setScope((e.target as HTMLInputElement).value)}
        aria-describedby="scope-help"
    /></label>
    <label
      >Kind
      <select value=${kind} onChange=${(e: Event) => setKind((e.target as HTMLSelectElement).value)}>
        <option value="outage">Outage</option>
        <option value="degraded_performance">Degraded performance</option>
      </select>
    </label>
    <label
      >Title
      <input
        maxlength="200"
        value=${title}
        onInput=${(e: Event) => setTitle((e.target as HTMLInputElement).value)}
    /></label>
    <button type="submit">Declare incident</button>
    <p id="scope-help" class="muted small">
      exotel, api:latency, region:&lt;circle&gt; or exophone:&lt;sid&gt;
    </p>
    ${error ? html`<p role="alert">${error}</p>` : null}
  </form>`;
}

/** Open and recent incidents with their clocks, and the maintenance windows in force or ahead. */
export function IncidentsView({ api, bus }: { api: ConsoleApi; bus: Bus }) {
  const board = useLive(bus, 'incidents', () => api.get<Board>('/api/incidents'));
  const now = useNow();
  const [error, setError] = useState<string>();
  const resolve = (id: string) => {
    api
      .post(`/api/incidents/${encodeURIComponent(id)}/resolve`, {})
      .then(() => board.reload())
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  const data = board.data;
  return html`<section aria-labelledby="incidents-title">
    <h2 id="incidents-title">Incidents</h2>
    <${DeclareForm} api=${api} done=${board.reload} />
    ${error || board.error ? html`<p role="alert">${error ?? board.error}</p>` : null}
    <h3>Open</h3>
    ${data && data.open.length === 0 ? html`<p class="muted">No open incident.</p>` : null}
    <ul class="cards">
      ${(data?.open ?? []).map((i) => html`<${IncidentCard} key=${i.id} api=${api} incident=${i} now=${now} resolve=${resolve} />`)}
    </ul>
    <h3>Maintenance windows</h3>
    ${data && data.maintenance.length === 0 ? html`<p class="muted">None in force or scheduled.</p>` : null}
    <ul class="plain">
      ${(data?.maintenance ?? []).map(
        (w) =>
          html`<li key=${w.id}>
            <strong>${w.scope}</strong> · ${w.source} · ${w.state} · ${when(w.startsAt)} –
            ${when(w.endsAt)}${w.description ? ` · ${w.description}` : ''}
          </li>`,
      )}
    </ul>
    <h3>Recently resolved</h3>
    <ul class="cards">
      ${(data?.recent ?? []).map((i) => html`<${IncidentCard} key=${i.id} api=${api} incident=${i} now=${now} />`)}
    </ul>
  </section>`;
}
