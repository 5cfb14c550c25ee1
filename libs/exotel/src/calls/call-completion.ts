import type { EntityManager } from 'typeorm';
import type { ExotelCall } from '../client/exotel-api.types';
import type { CataloguedEventInput } from '../events/event-catalogue';
import { CallCallbackEntity } from './call-callback.entity';
import type { CallEntity } from './call.entity';
import { callCompleted } from './call-transition-events';
import { exotelTime } from './status-callback-payload';

/**
 * The call ended without a terminal callback reaching us: records the end from call details on
 * `call`, and claims the `terminal` key (as callback `id`) so a late callback does not publish
 * `call.completed` again. Returns `call.completed`, or `null` when a callback claimed the key first.
 */
export async function completeFromDetails(
  manager: EntityManager,
  call: CallEntity,
  details: ExotelCall,
  id: string,
  now: Date,
): Promise<CataloguedEventInput | null> {
  const key = { callSid: details.Sid, eventKey: 'terminal' };
  await manager
    .createQueryBuilder()
    .insert()
    .into(CallCallbackEntity)
    .values({ id, ...key, callId: call.id, status: details.Status, deliveries: 0, receivedAt: now })
    .orIgnore()
    .execute();
  if ((await manager.findOneBy(CallCallbackEntity, key))?.id !== id) return null;
  call.status = details.Status;
  call.endedAt = exotelTime(details.EndTime) ?? now;
  call.detailsPending = details.Duration === null || details.Duration === undefined;
  return callCompleted(call, details.Sid, now);
}
