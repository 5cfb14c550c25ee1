import { ExotelApiError } from '../errors/exotel-api.error';
import { ExotelNetworkError } from '../errors/exotel-network.error';
import { ExotelTimeoutError } from '../errors/exotel-timeout.error';

/** How one request to Exotel ended, as far as Exotel's own health goes. */
export type ApiOutcome = 'ok' | 'server_error' | 'timeout' | 'network_error' | 'neutral';

/** Classifies a request's end: 5xx, timeouts and network errors are Exotel failing; 4xx and 429 are not. */
export function apiOutcomeOf(error: unknown): ApiOutcome {
  if (error instanceof ExotelTimeoutError) return 'timeout';
  if (error instanceof ExotelNetworkError) return 'network_error';
  if (error instanceof ExotelApiError && error.status >= 500) return 'server_error';
  return 'neutral';
}

/**
 * The port `ExotelClient` reports through: it hears how every request ended. The client knows
 * nothing of what listens; incidents provide it (`ExotelApiHealth`), so they learn when Exotel's
 * API fails. Without a provider the client reports to no one.
 */
export abstract class ExotelApiOutcomes {
  /** Records how a request ended (`what`: the masked request line). Must not throw. */
  abstract record(outcome: ApiOutcome, what?: string): void;
}
