import { ExoPhoneHealthService, type CallDirection, type ExoPhoneHealthState } from 'nestjs-exotel';
import { ExoPhoneEntity, ExotelDatabase, OutboxEventEntity, OutboxRelay } from 'nestjs-exotel/internal';
import type { INestApplicationContext } from '@nestjs/common';

/** Eight ExoPhones, two in each of DL, KA, MH and TN, like the simulator's default inventory. */
export const PHONES = [
  { sid: '01139585476', phoneNumber: '+911139585476', region: 'DL' },
  { sid: '08047491899', phoneNumber: '+918047491899', region: 'KA' },
  { sid: '02233344455', phoneNumber: '+912233344455', region: 'MH' },
  { sid: '04461330000', phoneNumber: '+914461330000', region: 'TN' },
  { sid: '01141170001', phoneNumber: '+911141170001', region: 'DL' },
  { sid: '08030752522', phoneNumber: '+918030752522', region: 'KA' },
  { sid: '02240000011', phoneNumber: '+912240000011', region: 'MH' },
  { sid: '04440000021', phoneNumber: '+914440000021', region: 'TN' },
] as const;

/** Puts the ExoPhones in the inventory, every direction active. */
export async function seedExoPhones(app: INestApplicationContext): Promise<void> {
  const health = app.get(ExoPhoneHealthService);
  await app.get(ExotelDatabase).transaction((manager) =>
    manager.save(
      ExoPhoneEntity,
      PHONES.map((p) =>
        Object.assign(health.newRow(p.sid, p.phoneNumber), {
          region: p.region,
          inInventory: true,
          incomingState: 'active',
          outgoingState: 'active',
        }),
      ),
    ),
  );
}

/**
 * Applies observations as a heartbeat would (others untouched) and delivers the resulting events
 * to the in-process handlers, incidents' included.
 */
export async function observe(
  app: INestApplicationContext,
  sids: readonly string[],
  state: ExoPhoneHealthState,
  directions: readonly CallDirection[] = ['incoming', 'outgoing'],
): Promise<void> {
  const health = app.get(ExoPhoneHealthService);
  await app.get(ExotelDatabase).transaction((manager) =>
    health.applyObservations(manager, {
      observations: sids.flatMap((exoPhoneSid) =>
        directions.map((direction) => ({ exoPhoneSid, direction, state })),
      ),
      source: 'heartbeat',
      observedAt: new Date(),
      othersActive: false,
    }),
  );
  await deliver(app);
}

/** Delivers pending events to in-process handlers until none is left (handlers publish more). */
export async function deliver(app: INestApplicationContext): Promise<void> {
  while ((await app.get(OutboxRelay).drain('inProcess')) > 0);
}

/** Outbox events of a type, oldest first. */
export function outbox(app: INestApplicationContext, type: string): Promise<OutboxEventEntity[]> {
  return app
    .get(ExotelDatabase)
    .read((m) => m.find(OutboxEventEntity, { where: { type }, order: { position: 'ASC' } }));
}

export { until } from '../support/until';

export const HOUR = 3_600_000;
