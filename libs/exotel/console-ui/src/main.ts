import './console.css';
import './views.css';
import { html, render } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ConsoleApi } from './api';
import { Bus, topicsOf, useLive, useNow } from './bus';
import { count, duration, STATE_LABELS } from './format';
import { LiveFeed, type LiveState } from './live';
import type { HealthState, Pulse, Summary } from './types';
import { CallsView } from './views/calls';
import { DeliveryView } from './views/delivery';
import { FleetView } from './views/fleet';
import { IncidentsView } from './views/incidents';
import { SignIn } from './views/sign-in';
import { SupportView } from './views/support';

const VIEWS = [
  { id: 'fleet', label: 'Fleet' },
  { id: 'incidents', label: 'Incidents' },
  { id: 'support', label: 'Support' },
  { id: 'calls', label: 'Calls' },
  { id: 'delivery', label: 'Delivery' },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

const LIVE_LABELS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

function currentView(): ViewId {
  const id = location.hash.replace('#', '');
  return VIEWS.find((v) => v.id === id)?.id ?? 'fleet';
}

function SummaryStrip({ summary, pulse, now }: { summary?: Summary; pulse?: Pulse; now: number }) {
  const out = summary?.counts.outgoing;
  const heartbeat = pulse?.heartbeat;
  const age = heartbeat?.appliedAt ? now - Date.parse(heartbeat.appliedAt) : undefined;
  const late = age !== undefined && heartbeat ? age > 2 * heartbeat.expectedEverySeconds * 1000 : false;
  const pending = (pulse?.delivery.inProcess?.pending ?? 0) + (pulse?.delivery.kafka?.pending ?? 0);
  return html`<section class="strip" aria-label="At a glance">
    ${(['active', 'partial_network_outage', 'major_outage', 'unknown'] as HealthState[]).map(
      (s) =>
        html`<div class=${`stat state-${s}`}>
          <span class="stat-label">Outgoing ${STATE_LABELS[s].toLowerCase()}</span>
          <span class="stat-value" data-summary=${s}>${out ? count(out[s]) : '…'}</span>
        </div>`,
    )}
    <div class=${`stat ${late ? 'is-late' : ''}`}>
      <span class="stat-label">Heartbeat</span>
      <span class="stat-value" data-heartbeat-age
        >${age === undefined ? 'none yet' : `${duration(age)} ago`}</span
      >
      <span class="small">${heartbeat?.statusType ?? ''}${late ? ' · missing' : ''}</span>
    </div>
    <div class="stat">
      <span class="stat-label">Outbox pending</span><span class="stat-value">${count(pending)}</span>
      <span class="small">Kafka ${pulse?.delivery.kafkaConnection ?? '…'}</span>
    </div>
  </section>`;
}

function Console({ api, signOut }: { api: ConsoleApi; signOut: () => void }) {
  const bus = useMemo(() => new Bus(), []);
  const [view, setView] = useState<ViewId>(currentView());
  const [live, setLive] = useState<LiveState>('connecting');
  const [pulse, setPulse] = useState<Pulse>();
  const summary = useLive(bus, 'summary', () => api.get<Summary>('/api/summary'));
  const now = useNow();
  useEffect(() => {
    const onHash = () => setView(currentView());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    const feed = new LiveFeed(
      `${api.base}/api/stream`,
      {
        event: (event) => {
          for (const topic of topicsOf(event.type)) bus.emit(topic, event);
        },
        pulse: (p) => setPulse(p as Pulse),
        ready: (replayed) => {
          if (!replayed)
            for (const topic of ['summary', 'fleet', 'incidents', 'tickets', 'calls']) bus.emit(topic);
        },
        state: setLive,
        signedOut: signOut,
      },
      () => api.resume(),
    );
    feed.start();
    return () => feed.stop();
  }, []);
  // The newer of the stream's last pulse and the last summary read.
  const shownPulse =
    pulse && summary.data && Date.parse(summary.data.now) > Date.parse(pulse.now)
      ? summary.data
      : (pulse ?? summary.data);
  return html`<div class="shell">
    <header class="top">
      <h1>Exotel operations</h1>
      <span class=${`live live-${live}`} role="status" aria-live="polite" data-live=${live}
        >${LIVE_LABELS[live]}</span
      >
      <button type="button" class="quiet" onClick=${() => void api.signOut().then(signOut)}>Sign out</button>
    </header>
    <nav class="tabs" aria-label="Views">
      ${VIEWS.map((v) => html`<a href=${`#${v.id}`} aria-current=${view === v.id ? 'page' : undefined}>${v.label}</a>`)}
    </nav>
    <${SummaryStrip} summary=${summary.data} pulse=${shownPulse} now=${now} />
    <main id="main" tabindex="-1">
      ${view === 'fleet' ? html`<${FleetView} api=${api} bus=${bus} summary=${summary.data} />` : null}
      ${view === 'incidents' ? html`<${IncidentsView} api=${api} bus=${bus} />` : null}
      ${view === 'support' ? html`<${SupportView} api=${api} bus=${bus} />` : null}
      ${view === 'calls' ? html`<${CallsView} api=${api} bus=${bus} />` : null}
      ${view === 'delivery' ? html`<${DeliveryView} pulse=${shownPulse} />` : null}
    </main>
  </div>`;
}

function App({ api }: { api: ConsoleApi }) {
  const [signedIn, setSignedIn] = useState<boolean>();
  useEffect(() => {
    api.onSignedOut = () => setSignedIn(false);
    // A page served with a session starts at once; otherwise ask (a session may still be there).
    if (api.hasSession) setSignedIn(true);
    else api.resume().then(setSignedIn, () => setSignedIn(false));
  }, []);
  if (signedIn === undefined) return html`<p class="muted">Loading…</p>`;
  if (!signedIn) return html`<${SignIn} api=${api} signedIn=${() => setSignedIn(true)} />`;
  return html`<${Console} api=${api} signOut=${() => setSignedIn(false)} />`;
}

const root = document.getElementById('console');
if (root) {
  root.textContent = '';
  render(html`<${App} api=${new ConsoleApi(root.dataset.base ?? '', root.dataset.token)} />`, root);
}
