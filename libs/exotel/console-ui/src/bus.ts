import { useEffect, useRef, useState } from 'preact/hooks';

/** What a part of the page shows, named so live events can tell it to reload. */
export type Topic = 'summary' | 'fleet' | 'incidents' | 'tickets' | 'calls';

type Listener = (detail?: unknown) => void;

/** Tells the parts of the page that what they show has changed. */
export class Bus {
  private readonly listeners = new Map<string, Set<Listener>>();

  on(topic: string, listener: Listener): () => void {
    const set = this.listeners.get(topic) ?? new Set();
    set.add(listener);
    this.listeners.set(topic, set);
    return () => set.delete(listener);
  }

  emit(topic: string, detail?: unknown): void {
    for (const listener of this.listeners.get(topic) ?? []) listener(detail);
  }
}

/** Which topics an outbox event changes. */
export function topicsOf(type: string): Topic[] {
  if (type === 'exophone.health_changed' || type === 'console.fleet_changed') return ['summary', 'fleet'];
  if (type === 'exophone.customer_facing_changed') return ['fleet'];
  if (type.startsWith('heartbeat.')) return ['summary'];
  if (type.startsWith('incident.') || type.startsWith('maintenance.')) return ['incidents'];
  if (type.startsWith('ticket.') || type.startsWith('sla.')) return ['tickets'];
  if (type.startsWith('call.')) return ['calls', 'summary'];
  return [];
}

/** Data loaded by `load`, and loaded again (debounced) whenever `topic` is told it changed. */
export function useLive<T>(
  bus: Bus,
  topic: Topic,
  load: () => Promise<T>,
  deps: unknown[] = [],
): { data?: T; error?: string; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const latest = useRef(load);
  latest.current = load;
  const timer = useRef<number | undefined>(undefined);
  const run = () => {
    latest
      .current()
      .then((value) => {
        setData(value);
        setError(undefined);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  useEffect(() => {
    run();
    const off = bus.on(topic, () => {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(run, 250);
    });
    return () => {
      off();
      window.clearTimeout(timer.current);
    };
  }, deps);
  return { data, error, reload: run };
}

/** The current time, moving every second (for countdowns and ages). */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(id);
  }, []);
  return now;
}
