import type { EntityManager } from 'typeorm';
import { tableName } from '../persistence/table-name';
import { OutboxEventEntity } from './outbox-event.entity';
import type { OutboxTarget, PendingEvent } from './outbox-store';

/** Each target's columns: when it was delivered, and who holds its claim until when. */
const COLUMNS = {
  inProcess: { done: 'dispatched_at', owner: 'dispatch_claimed_by', until: 'dispatch_claim_expires_at' },
  kafka: { done: 'published_at', owner: 'publish_claimed_by', until: 'publish_claim_expires_at' },
} as const satisfies Record<OutboxTarget, { done: string; owner: string; until: string }>;

/** One claim of a batch (PostgreSQL). */
export interface ClaimRequest {
  readonly target: OutboxTarget;
  readonly limit: number;
  /** Who claims: the relay's id, kept on the rows for operators and to release only its own. */
  readonly owner: string;
  readonly now: Date;
  /** When the claim lapses if the relay never marks or releases the rows. */
  readonly expiresAt: Date;
  /** Positions this relay is delivering in batches still in flight; they do not block their subjects. */
  readonly exclude: readonly number[];
}

/**
 * PostgreSQL, inside a short transaction: stamps the next pending, unclaimed (or lapsed) rows of
 * `target` with a claim, skipping rows another claim is stamping this very moment, then gives back
 * any row whose subject has an earlier pending event that is neither in this claim nor in
 * `exclude`, so a subject is only ever delivered from its first pending event, in order. The
 * caller commits, delivers outside any transaction, then marks the rows (`markDelivered`) or
 * releases them (`releaseClaims`).
 */
export async function claimBatch(manager: EntityManager, request: ClaimRequest): Promise<PendingEvent[]> {
  const table = tableName(manager, OutboxEventEntity);
  const { done, owner, until } = COLUMNS[request.target];
  // One round trip: claim the next pending rows, then find, for each of their subjects, the first
  // earlier pending row that is not ours (the statement's snapshot still shows the rows as they
  // were, hence leaving this claim's rows out, with those this relay delivers in other batches).
  // The earlier pending rows are read once, in one range scan of the pending index, and matched in
  // memory: a plan that looks them up subject by subject can cost seconds once statistics lag
  // behind a fast-moving outbox. A CTE also makes the driver return rows, not [rows, count].
  const rows = await manager.query<(RawOutboxRow & { blocked_from: string | number | null })[]>(
    `WITH claimed AS (` +
      // = ANY(ARRAY(...)) keeps the update on the primary key; IN (...) lets the planner scan the table.
      `UPDATE ${table} SET ${owner} = $4, ${until} = $5 WHERE position = ANY(ARRAY(` +
      `SELECT position FROM ${table} WHERE ${done} IS NULL AND (${until} IS NULL OR ${until} <= $1) ` +
      'ORDER BY position LIMIT $2 FOR UPDATE SKIP LOCKED)) ' +
      'RETURNING position, id, type, source, family, subject, sequence, time, data::text AS data), ' +
      `earlier AS MATERIALIZED (SELECT o.position, o.family, o.subject FROM ${table} o ` +
      `WHERE o.${done} IS NULL AND o.position < (SELECT MAX(position) FROM claimed)), ` +
      'ours AS (SELECT position FROM claimed UNION ALL SELECT unnest($3::bigint[])), ' +
      'blockers AS (SELECT e.family, e.subject, MIN(e.position) AS first FROM earlier e ' +
      'WHERE e.position NOT IN (SELECT position FROM ours) GROUP BY e.family, e.subject) ' +
      'SELECT c.*, b.first AS blocked_from FROM claimed c ' +
      'LEFT JOIN blockers b ON b.family = c.family AND b.subject = c.subject ORDER BY c.position',
    [request.now, request.limit, request.exclude, request.owner, request.expiresAt],
  );
  const ready: PendingEvent[] = [];
  const returned: number[] = [];
  for (const row of rows) {
    const blockedFrom = row.blocked_from === null ? undefined : Number(row.blocked_from);
    if (blockedFrom === undefined || Number(row.position) < blockedFrom) ready.push(fromRaw(row));
    else returned.push(Number(row.position));
  }
  if (returned.length > 0)
    await manager.query(`UPDATE ${table} SET ${owner} = NULL, ${until} = NULL WHERE position = ANY($1)`, [
      returned,
    ]);
  return ready;
}

/**
 * Marks rows delivered and clears their claim. Idempotent: a row another relay already marked
 * (it took the claim over after it lapsed) keeps its first delivery time.
 */
export async function markDelivered(
  manager: EntityManager,
  target: OutboxTarget,
  positions: readonly number[],
  now: Date,
): Promise<void> {
  const table = tableName(manager, OutboxEventEntity);
  const { done, owner, until } = COLUMNS[target];
  await manager.query(
    `UPDATE ${table} SET ${done} = $2, ${owner} = NULL, ${until} = NULL ` +
      `WHERE position = ANY($1) AND ${done} IS NULL`,
    [positions, now],
  );
}

/** Extends this relay's claim on rows it is still delivering (a live relay keeps its claims). */
export async function renewClaims(
  manager: EntityManager,
  target: OutboxTarget,
  positions: readonly number[],
  owner: string,
  expiresAt: Date,
): Promise<void> {
  const table = tableName(manager, OutboxEventEntity);
  const columns = COLUMNS[target];
  await manager.query(
    `UPDATE ${table} SET ${columns.until} = $3 ` +
      `WHERE position = ANY($1) AND ${columns.owner} = $2 AND ${columns.done} IS NULL`,
    [positions, owner, expiresAt],
  );
}

/** Gives back rows this relay claimed but did not deliver, so the next claim takes them at once. */
export async function releaseClaims(
  manager: EntityManager,
  target: OutboxTarget,
  positions: readonly number[],
  owner: string,
): Promise<void> {
  const table = tableName(manager, OutboxEventEntity);
  const columns = COLUMNS[target];
  await manager.query(
    `UPDATE ${table} SET ${columns.owner} = NULL, ${columns.until} = NULL ` +
      `WHERE position = ANY($1) AND ${columns.owner} = $2 AND ${columns.done} IS NULL`,
    [positions, owner],
  );
}

/** A row as `RETURNING` gives it (node-postgres parses timestamptz; `data` comes as JSON text). */
interface RawOutboxRow {
  position: string | number;
  id: string;
  type: string;
  source: string;
  family: string;
  subject: string;
  sequence: number;
  time: Date;
  data: string;
}

function fromRaw(raw: RawOutboxRow): PendingEvent {
  let data: unknown;
  let parsed = false;
  return {
    position: Number(raw.position),
    family: raw.family,
    dataJson: raw.data,
    event: {
      specversion: '1.0',
      id: raw.id,
      source: raw.source,
      type: raw.type,
      subject: raw.subject,
      time: raw.time.toISOString(),
      datacontenttype: 'application/json',
      sequence: raw.sequence,
      get data(): unknown {
        if (!parsed) {
          data = JSON.parse(raw.data);
          parsed = true;
        }
        return data;
      },
    },
  };
}
