import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * True when `candidate` equals one of `secrets`, compared in constant time. Every secret is
 * compared (no early exit), and both sides are hashed first so their lengths do not leak.
 */
export function matchesAnySecret(candidate: string | undefined, secrets: readonly string[]): boolean {
  if (candidate === undefined || candidate.length === 0) return false;
  const presented = digest(candidate);
  let matched = false;
  for (const secret of secrets) {
    matched = timingSafeEqual(presented, digest(secret)) || matched;
  }
  return matched;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
