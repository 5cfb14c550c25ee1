/** Words for a health state; the page never shows a state by colour alone. */
export const STATE_LABELS: Record<string, string> = {
  active: 'Active',
  partial_network_outage: 'Partial outage',
  major_outage: 'Major outage',
  unknown: 'Unknown',
};

/** `1 h 05 min`, `4 min 09 s`, `12 s`. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}

/** A countdown as a clock: `1:04:09`, `29:59`. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** An instant in the reader's time zone, short. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** `3 min ago`, `in 2 h 10 min`. */
export function relative(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const delta = Date.parse(iso) - now;
  return delta >= 0 ? `in ${duration(delta)}` : `${duration(-delta)} ago`;
}

/** Thousands separated, as the reader's locale writes them. */
export function count(n: number): string {
  return n.toLocaleString();
}
