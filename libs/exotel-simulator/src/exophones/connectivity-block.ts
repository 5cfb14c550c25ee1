import { formatRfc3339 } from '../support/time-format';
import type { CallDirection, ExoPhoneHealth } from './exophone-health';

/** One direction's `{status,last_check_time,alternate_exophone}`, shared with the v2 GET. */
export function connectivityBlock(
  health: ExoPhoneHealth,
  sid: string,
  direction: CallDirection,
): Record<string, unknown> {
  const state = health.get(sid, direction)!;
  return {
    status: state.status,
    last_check_time: formatRfc3339(state.lastCheckTime),
    alternate_exophone: health.alternateFor(sid, direction),
  };
}
