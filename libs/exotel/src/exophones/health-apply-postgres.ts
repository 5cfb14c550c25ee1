import type { EntityManager } from 'typeorm';
import { bulkInsert } from '../persistence/bulk-insert';
import { tableName } from '../persistence/table-name';
import { ExoPhoneHealthHistoryEntity } from './exophone-health-history.entity';
import type {
  CallDirection,
  ExoPhoneHealthState,
  HealthObservation,
  HealthSource,
} from './exophone-health.types';
import { ExoPhoneEntity } from './exophone.entity';

/** One change of health as the set-based apply found it, with what its event needs of the row. */
export interface AppliedChange {
  readonly exoPhoneSid: string;
  readonly direction: CallDirection;
  readonly previous: ExoPhoneHealthState;
  readonly current: ExoPhoneHealthState;
  readonly alternates: string[];
  readonly phoneNumber: string | null;
  readonly region: string | null;
  readonly customerFacing: boolean;
}

/** What the apply is told, besides the observations. */
export interface SetBasedApply {
  /** Written on each change's history row. */
  readonly source: HealthSource;
  readonly observedAt: Date;
  readonly othersActive: boolean;
  readonly now: Date;
  /** The row of an ExoPhone seen for the first time. */
  readonly newRow: (sid: string, phoneNumber: string | null) => ExoPhoneEntity;
}

// One statement computes and writes every change. Per ExoPhone and direction it is the rule of
// `HealthObservationApplier`: the target is the observation's state (or `active` for an ExoPhone a
// heartbeat does not list); an observation older than the check time the row knows changes
// nothing; otherwise the state, the alternates and the check time are written (the check time is
// Exotel's when given, else the batch's when the state changes) and `health_changed_at` moves
// when a state changed. Only rows that differ are written; only rows whose state changed return,
// and each change's history row is inserted in the order the changes are returned.
const APPLY = (table: string, history: string) => `
WITH obs AS (
  SELECT * FROM json_to_recordset($1::json) AS o(s text, d text, st text, c timestamptz, a jsonb, n int)
), cur AS (
  SELECT e.sid,
    e.incoming_state AS i_prev, e.incoming_checked_at AS i_known, e.incoming_alternates AS i_alts_prev,
    (i.s IS NOT NULL OR $4) AS i_seen, coalesce(i.st, 'active') AS i_target,
    coalesce(i.a, '[]'::jsonb) AS i_alts, i.c AS i_checked, coalesce(i.c, $2) AS i_at,
    e.outgoing_state AS o_prev, e.outgoing_checked_at AS o_known, e.outgoing_alternates AS o_alts_prev,
    (o.s IS NOT NULL OR $4) AS o_seen, coalesce(o.st, 'active') AS o_target,
    coalesce(o.a, '[]'::jsonb) AS o_alts, o.c AS o_checked, coalesce(o.c, $2) AS o_at,
    coalesce(i.n, o.n) AS ord
  FROM ${table} e
  LEFT JOIN obs i ON i.s = e.sid AND i.d = 'incoming'
  LEFT JOIN obs o ON o.s = e.sid AND o.d = 'outgoing'
  WHERE $4 OR i.s IS NOT NULL OR o.s IS NOT NULL
), plan AS (
  SELECT *,
    i_seen AND (i_known IS NULL OR i_at >= i_known) AS i_apply,
    o_seen AND (o_known IS NULL OR o_at >= o_known) AS o_apply
  FROM cur
), next AS (
  SELECT *,
    i_apply AND i_prev <> i_target AS i_changed,
    CASE WHEN i_apply THEN i_target ELSE i_prev END AS i_state,
    CASE WHEN NOT i_apply THEN i_known WHEN i_checked IS NOT NULL THEN i_checked
      WHEN i_prev <> i_target THEN $2 ELSE i_known END AS i_check,
    CASE WHEN i_apply THEN i_alts ELSE i_alts_prev END AS i_alternates,
    o_apply AND o_prev <> o_target AS o_changed,
    CASE WHEN o_apply THEN o_target ELSE o_prev END AS o_state,
    CASE WHEN NOT o_apply THEN o_known WHEN o_checked IS NOT NULL THEN o_checked
      WHEN o_prev <> o_target THEN $2 ELSE o_known END AS o_check,
    CASE WHEN o_apply THEN o_alts ELSE o_alts_prev END AS o_alternates
  FROM plan
), written AS (
  UPDATE ${table} e SET
    incoming_state = n.i_state, incoming_checked_at = n.i_check, incoming_alternates = n.i_alternates,
    outgoing_state = n.o_state, outgoing_checked_at = n.o_check, outgoing_alternates = n.o_alternates,
    health_changed_at = CASE WHEN n.i_changed OR n.o_changed THEN $3 ELSE e.health_changed_at END
  FROM next n
  WHERE e.sid = n.sid AND (
    e.incoming_state IS DISTINCT FROM n.i_state OR e.incoming_checked_at IS DISTINCT FROM n.i_check
    OR e.incoming_alternates IS DISTINCT FROM n.i_alternates OR e.outgoing_state IS DISTINCT FROM n.o_state
    OR e.outgoing_checked_at IS DISTINCT FROM n.o_check OR e.outgoing_alternates IS DISTINCT FROM n.o_alternates)
  RETURNING e.sid, e.phone_number, e.region, e.customer_facing, n.ord,
    n.i_changed, n.i_prev, n.i_state, n.i_alts::text AS i_alts,
    n.o_changed, n.o_prev, n.o_state, n.o_alts::text AS o_alts
), recorded AS (
  INSERT INTO ${history} (exophone_sid, direction, previous, current, source, observed_at, recorded_at)
  SELECT w.sid, c.direction, c.previous, c.current, $5, $2, $3
  FROM written w CROSS JOIN LATERAL (VALUES
    ('incoming', w.i_changed, w.i_prev, w.i_state), ('outgoing', w.o_changed, w.o_prev, w.o_state)
  ) AS c(direction, changed, previous, current)
  WHERE c.changed
  ORDER BY w.ord NULLS LAST, w.sid, c.direction
  RETURNING 1
)
SELECT * FROM written WHERE i_changed OR o_changed`;

interface ChangedRow {
  sid: string;
  phone_number: string | null;
  region: string | null;
  customer_facing: boolean;
  ord: number | null;
  i_changed: boolean;
  i_prev: ExoPhoneHealthState;
  i_state: ExoPhoneHealthState;
  i_alts: string;
  o_changed: boolean;
  o_prev: ExoPhoneHealthState;
  o_state: ExoPhoneHealthState;
  o_alts: string;
}

/**
 * PostgreSQL: applies observations as set-based SQL inside the caller's transaction (which holds
 * the ExoPhone rows' lock): ExoPhones seen for the first time are inserted, then one statement
 * computes every change, writes only the rows that differ and inserts the changes' history rows.
 * No entity is loaded. Changes come back in the order their ExoPhones were first observed (the
 * others after, by SID), incoming before outgoing.
 */
export async function applyObservationsOnPostgres(
  manager: EntityManager,
  observations: readonly HealthObservation[],
  apply: SetBasedApply,
): Promise<AppliedChange[]> {
  const table = tableName(manager, ExoPhoneEntity);
  // The last observation of an ExoPhone's direction wins; ExoPhones keep their first place.
  const order = new Map<string, number>();
  const latest = new Map<string, HealthObservation>();
  for (const observation of observations) {
    if (!order.has(observation.exoPhoneSid)) order.set(observation.exoPhoneSid, order.size);
    latest.set(`${observation.direction}:${observation.exoPhoneSid}`, observation);
  }
  await insertFirstSeen(manager, table, [...order.keys()], latest, apply);
  const payload = JSON.stringify(
    [...latest.values()].map((o) => ({
      s: o.exoPhoneSid,
      d: o.direction,
      st: o.state,
      c: o.checkedAt ? o.checkedAt.toISOString() : null,
      a: o.alternates ?? [],
      n: order.get(o.exoPhoneSid),
    })),
  );
  const history = tableName(manager, ExoPhoneHealthHistoryEntity);
  const rows = await manager.query<ChangedRow[]>(APPLY(table, history), [
    payload,
    apply.observedAt.toISOString(),
    apply.now.toISOString(),
    apply.othersActive,
    apply.source,
  ]);
  rows.sort((a, b) =>
    a.ord === b.ord ? (a.sid < b.sid ? -1 : 1) : (a.ord ?? Infinity) - (b.ord ?? Infinity),
  );
  const changes: AppliedChange[] = [];
  for (const row of rows) {
    const facts = {
      exoPhoneSid: row.sid,
      phoneNumber: row.phone_number,
      region: row.region,
      customerFacing: row.customer_facing,
    };
    if (row.i_changed)
      changes.push({
        ...facts,
        direction: 'incoming',
        previous: row.i_prev,
        current: row.i_state,
        alternates: JSON.parse(row.i_alts) as string[],
      });
    if (row.o_changed)
      changes.push({
        ...facts,
        direction: 'outgoing',
        previous: row.o_prev,
        current: row.o_state,
        alternates: JSON.parse(row.o_alts) as string[],
      });
  }
  return changes;
}

/** Inserts the rows of observed ExoPhones the table does not hold yet (states `unknown`). */
async function insertFirstSeen(
  manager: EntityManager,
  table: string,
  sids: readonly string[],
  latest: ReadonlyMap<string, HealthObservation>,
  apply: SetBasedApply,
): Promise<void> {
  if (sids.length === 0) return;
  const known = await manager.query<{ sid: string }[]>(
    `SELECT sid FROM ${table} WHERE sid = ANY($1::text[])`,
    [sids],
  );
  if (known.length === sids.length) return;
  const present = new Set(known.map((row) => row.sid));
  const fresh = sids
    .filter((sid) => !present.has(sid))
    .map((sid) => {
      const phoneNumber =
        latest.get(`incoming:${sid}`)?.phoneNumber || latest.get(`outgoing:${sid}`)?.phoneNumber || null;
      return apply.newRow(sid, phoneNumber);
    });
  await bulkInsert(manager, ExoPhoneEntity, fresh);
}
