import type { ConnectCallRequest } from '../client/exotel-api.types';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import type { PreparedCall } from './call-request';
import { composeCustomField } from './correlation';

/** What the call's record settled before Calls/connect is sent. */
export interface RecordedCallIdentity {
  /** The ExoPhone number failover chose. */
  readonly callerId: string;
  /** The call's correlation id, sent in `CustomField` so reconciliation can find the call. */
  readonly correlationId: string;
}

/**
 * The one mapping from a checked call to the client's Calls/connect request: the target, the caller
 * id failover chose, the call's options as checked, the correlation id in `CustomField`, and the
 * status callback from the `calls` options.
 */
export function connectCallRequest(
  prepared: PreparedCall,
  { callerId, correlationId }: RecordedCallIdentity,
  calls: ResolvedExotelOptions['calls'],
): ConnectCallRequest {
  // The template chose the flow URL; it is no parameter of Calls/connect.
  const { template: _template, ...options } = prepared.parameters;
  const callback = calls.statusCallbackUrl;
  return {
    from: prepared.from,
    to: prepared.to,
    url: prepared.url,
    streamUrl: prepared.streamUrl,
    streamType: prepared.streamUrl ? 'bidirectional' : undefined,
    streamName: prepared.streamName,
    callerId,
    callType: 'trans',
    ...options,
    customField: composeCustomField(correlationId, prepared.customField),
    statusCallback: callback,
    statusCallbackEvents: callback ? [...calls.statusCallbackEvents] : undefined,
    statusCallbackContentType: callback ? calls.statusCallbackContentType : undefined,
  };
}
