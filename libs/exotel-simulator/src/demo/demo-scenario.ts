import type { ExotelSimulator } from '../exotel-simulator';
import type { ConnectivityStatus } from '../exophones/exophone-health';
import { SeededRandom } from '../support/random';

/** Options of `startDemoScenario`. */
export interface DemoScenarioOptions {
  /** Where heartbeats go, e.g. `<service>/exotel/heartbeat?key=<secret>`. */
  readonly heartbeatUrl: string;
  /** Seconds between heartbeats. @default 60 */
  readonly heartbeatIntervalSeconds?: number;
  /** Seconds between outage changes. @default 180 */
  readonly changeEverySeconds?: number;
  /** How many ExoPhones may be down at once. @default 2 */
  readonly maxConcurrentOutages?: number;
  /** Seed of the scenario's choices. @default 7 */
  readonly seed?: number;
  /** Told about each change (for a log line). */
  readonly onChange?: (change: {
    sid: string;
    direction: 'incoming' | 'outgoing' | 'both';
    status: ConnectivityStatus;
  }) => void;
}

/** A running demo scenario. */
export interface DemoScenario {
  stop(): void;
}

/**
 * The demo's weather: heartbeats to the service (the first one at once), and every few minutes an
 * ExoPhone goes down (a partial or major outage, one direction or both) or a down one comes back.
 * Delivery failures (the service may not serve `/exotel/heartbeat` yet) are recorded by the
 * simulator, never thrown.
 */
export function startDemoScenario(simulator: ExotelSimulator, options: DemoScenarioOptions): DemoScenario {
  const random = new SeededRandom(options.seed ?? 7);
  const maxDown = options.maxConcurrentOutages ?? 2;
  const down = new Map<string, 'incoming' | 'outgoing' | 'both'>();
  simulator.setHeartbeat({
    url: options.heartbeatUrl,
    intervalSeconds: options.heartbeatIntervalSeconds ?? 60,
  });
  // One now: otherwise the service knows no ExoPhone's health for a whole interval (a minute).
  void simulator.emitHeartbeatNow().catch(() => undefined);

  const step = (): void => {
    const phones = simulator.exoPhones();
    const recover = down.size >= maxDown || (down.size > 0 && random.chance(0.5));
    if (recover) {
      const [sid, direction] = [...down.entries()][random.int(down.size)];
      down.delete(sid);
      simulator.setHealth(sid, direction, 'active');
      options.onChange?.({ sid, direction, status: 'active' });
      return;
    }
    const healthy = phones.filter((phone) => !down.has(phone.sid));
    if (healthy.length === 0) return;
    const { sid } = random.pick(healthy);
    const direction = random.pick(['incoming', 'outgoing', 'both'] as const);
    const status: ConnectivityStatus = random.chance(0.5) ? 'major_outage' : 'partial_network_outage';
    down.set(sid, direction);
    simulator.setHealth(sid, direction, status);
    options.onChange?.({ sid, direction, status });
  };
  const timer = setInterval(step, (options.changeEverySeconds ?? 180) * 1000);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      simulator.setHeartbeat(undefined);
    },
  };
}
