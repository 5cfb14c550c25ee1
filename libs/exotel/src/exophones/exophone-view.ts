import type { ExoPhoneEntity } from './exophone.entity';
import type { CallDirection, ExoPhoneHealthState } from './exophone-health.types';

/** Health of one direction, as the API shows it. */
export interface DirectionHealth {
  readonly state: ExoPhoneHealthState;
  /** ISO 8601: the last time this direction was checked (Exotel's check, or the last heartbeat that covered it). */
  readonly lastCheckTime: string | null;
  readonly alternates: readonly string[];
}

/** An ExoPhone with its health, as the API shows it. */
export interface ExoPhoneView {
  readonly sid: string;
  readonly phoneNumber: string | null;
  readonly friendlyName: string | null;
  readonly region: string | null;
  /** Printed on a website: the operator's mark when there is one, else the options. */
  readonly customerFacing: boolean;
  /** The operator's mark (`PUT /exophones/:sid/customer-facing`); null: the options decide. */
  readonly customerFacingMark: boolean | null;
  /** Listed by Exotel's ExoPhone API (false: only seen in heartbeats). */
  readonly inInventory: boolean;
  readonly incoming: DirectionHealth;
  readonly outgoing: DirectionHealth;
  readonly healthChangedAt: string | null;
}

/** The view of a row; `lastHeartbeatAt` covers directions the last applied heartbeat vouched for. */
export function toExoPhoneView(row: ExoPhoneEntity, lastHeartbeatAt: Date | null): ExoPhoneView {
  const direction = (name: CallDirection): DirectionHealth => {
    const checked = name === 'incoming' ? row.incomingCheckedAt : row.outgoingCheckedAt;
    const latest = [checked, lastHeartbeatAt]
      .filter((d): d is Date => d instanceof Date)
      .sort((a, b) => b.getTime() - a.getTime())[0];
    return {
      state: name === 'incoming' ? row.incomingState : row.outgoingState,
      lastCheckTime: latest ? latest.toISOString() : null,
      alternates: (name === 'incoming' ? row.incomingAlternates : row.outgoingAlternates) ?? [],
    };
  };
  return {
    sid: row.sid,
    phoneNumber: row.phoneNumber,
    friendlyName: row.friendlyName,
    region: row.region,
    customerFacing: row.customerFacing,
    customerFacingMark: row.customerFacingMark,
    inInventory: row.inInventory,
    incoming: direction('incoming'),
    outgoing: direction('outgoing'),
    healthChangedAt: row.healthChangedAt ? row.healthChangedAt.toISOString() : null,
  };
}
