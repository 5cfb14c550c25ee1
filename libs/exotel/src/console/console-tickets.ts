import type { SupportSlaService } from '../support/support-sla.service';

type SupportTicket = Awaited<ReturnType<SupportSlaService['get']>>;
type ClockState = SupportTicket['acknowledgement'];

/** One SLA clock as the console shows it: what the page needs to count down by itself. */
interface ConsoleClock {
  readonly dueAt: string | null;
  readonly metAt: string | null;
  readonly breached: boolean;
  /** Coverage time left when the answer was made. */
  readonly remainingMs: number;
  /** The target in coverage time. */
  readonly targetMs: number;
  readonly paused: boolean;
  /** Past the warning fraction (`support.warningFraction`), not met and not breached. */
  readonly warning: boolean;
}

/** A ticket as the console lists it. */
export interface ConsoleTicket {
  readonly id: string;
  readonly title: string;
  readonly severity: number;
  readonly plan: string;
  readonly status: string;
  readonly incidentId: string | null;
  readonly openedAt: string;
  /**
   * When the clocks run: always, or daily between `from` and `to` in `timeZone`. The page counts
   * down only inside these hours, as the SLA does.
   */
  readonly coverage: SupportTicket['sla']['coverage'];
  readonly acknowledgement: ConsoleClock;
  readonly response: ConsoleClock;
}

/** The console's view of a ticket. */
export function toConsoleTicket(ticket: SupportTicket, warningFraction: number): ConsoleTicket {
  const clock = (state: ClockState, targetMinutes: number): ConsoleClock => {
    const targetMs = targetMinutes * 60_000;
    return {
      dueAt: state.dueAt ? state.dueAt.toISOString() : null,
      metAt: state.metAt ? state.metAt.toISOString() : null,
      breached: state.breached,
      remainingMs: state.remainingMs,
      targetMs,
      paused: state.paused,
      warning: !state.metAt && !state.breached && state.elapsedMs >= targetMs * warningFraction,
    };
  };
  return {
    id: ticket.id,
    title: ticket.title,
    severity: ticket.severity,
    plan: ticket.plan,
    status: ticket.status,
    incidentId: ticket.incidentId,
    openedAt: ticket.openedAt.toISOString(),
    coverage: ticket.sla.coverage,
    acknowledgement: clock(ticket.acknowledgement, ticket.sla.acknowledgementMinutes),
    response: clock(ticket.response, ticket.sla.responseMinutes),
  };
}
