import { html } from 'htm/preact';
import { duration, when } from '../format';
import type { Pulse } from '../types';

/** The outbox's backlog per target and the Kafka connection. */
export function DeliveryView({ pulse }: { pulse?: Pulse }) {
  const d = pulse?.delivery;
  const target = (
    name: string,
    t?: { pending: number; oldestPendingSeconds: number; failingPasses: number },
  ) =>
    t
      ? html`<tr>
          <th scope="row">${name}</th>
          <td data-pending=${name}>${t.pending}</td>
          <td>${duration(t.oldestPendingSeconds * 1000)}</td>
          <td>${t.failingPasses}</td>
        </tr>`
      : null;
  return html`<section aria-labelledby="delivery-title">
    <h2 id="delivery-title">Delivery</h2>
    <dl class="facts">
      <dt>Outbox</dt>
      <dd>${d?.status ?? '…'}</dd>
      <dt>Kafka</dt>
      <dd data-kafka>${d?.kafkaConnection ?? '…'}</dd>
      <dt>Last heartbeat</dt>
      <dd>${when(pulse?.heartbeat.appliedAt)} (${pulse?.heartbeat.statusType ?? 'none yet'})</dd>
    </dl>
    <div class="table-wrap">
      <table>
        <caption>
          Outbox backlog by target
        </caption>
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Pending</th>
            <th scope="col">Oldest</th>
            <th scope="col">Failed passes</th>
          </tr>
        </thead>
        <tbody>
          ${target('In-process', d?.inProcess)}${target('Kafka', d?.kafka)}
        </tbody>
      </table>
    </div>
    <p class="muted small">
      Updated every few seconds from the server; the outbox keeps every event until it is delivered.
    </p>
  </section>`;
}
