import { DateTime } from 'luxon';

const INDIA = 'Asia/Kolkata';
const PROMO_FROM_HOUR = 9;
const PROMO_TO_HOUR = 21;

/**
 * TRAI's hours for promotional calls, 09:00-21:00 India time (half-open): null when `now` is
 * inside them, else when they next open, with the local time of `now` for the message.
 */
export function promotionalHoursClosed(now: Date): { readonly local: string; readonly opensAt: Date } | null {
  const local = DateTime.fromJSDate(now, { zone: INDIA });
  if (local.hour >= PROMO_FROM_HOUR && local.hour < PROMO_TO_HOUR) return null;
  const today = local.startOf('day').set({ hour: PROMO_FROM_HOUR });
  const opensAt = local.hour < PROMO_FROM_HOUR ? today : today.plus({ days: 1 });
  return { local: local.toFormat('HH:mm'), opensAt: opensAt.toJSDate() };
}
