// A pass's lease is renewed every third of its term, so a replica that dies mid-pass frees the job
// within one term: three intervals, at least 10 s (a database round trip must never lose it), at
// most a minute (a job with a long interval is not blocked for hours by a killed replica).
const MIN_PASS_LEASE_MS = 10_000;
const MAX_PASS_LEASE_MS = 60_000;
// After a pass the owner keeps the job until its next tick is due, plus this much (capped at an
// interval) so its own timer wins over the other replicas' timers.
const IDLE_LEASE_SLACK_MS = 5_000;

/** How long a job's lease lasts while a pass runs (renewed every third of it). */
export function passLeaseMs(intervalMs: number): number {
  return Math.min(Math.max(intervalMs * 3, MIN_PASS_LEASE_MS), MAX_PASS_LEASE_MS);
}

/**
 * How long the lease must last after a pass, so the replica that ran it runs the next tick too
 * (one replica per job, not every replica's timer in turn): one interval and a little slack. A
 * replica killed between passes so frees the job within about one interval.
 */
export function idleLeaseMs(intervalMs: number): number {
  return intervalMs + Math.min(intervalMs, IDLE_LEASE_SLACK_MS);
}
