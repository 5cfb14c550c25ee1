import { In, type EntityManager } from 'typeorm';
import type { ExotelDialect } from '../persistence/exotel-database';
import { TicketPauseEntity } from './ticket-pause.entity';
import { TicketEntity } from './ticket.entity';

/**
 * Reads a ticket inside a transaction and, on PostgreSQL, locks its row until the transaction
 * ends, so API calls and the SLA job of every replica change one ticket one at a time (SQLite
 * already runs one transaction at a time).
 */
export function lockTicket(
  manager: EntityManager,
  dialect: ExotelDialect,
  id: string,
): Promise<TicketEntity | null> {
  return manager.findOne(TicketEntity, {
    where: { id },
    ...(dialect === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
}

/** The pauses of the given tickets, oldest first, grouped by ticket id. */
export async function pausesByTicket(
  manager: EntityManager,
  ticketIds: readonly string[],
): Promise<Map<string, TicketPauseEntity[]>> {
  const byTicket = new Map<string, TicketPauseEntity[]>(ticketIds.map((id) => [id, []]));
  if (ticketIds.length === 0) return byTicket;
  const pauses = await manager.find(TicketPauseEntity, {
    where: { ticketId: In([...ticketIds]) },
    order: { pausedAt: 'ASC', id: 'ASC' },
  });
  for (const pause of pauses) byTicket.get(pause.ticketId)?.push(pause);
  return byTicket;
}
