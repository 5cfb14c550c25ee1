import type { ConnectCallRequest } from './exotel-api.types';
import type { FormValue } from './form-body';

/**
 * Calls/connect's form: every parameter of the request under Exotel's name for it, which is its
 * own name in PascalCase (`recordingChannels` is sent as `RecordingChannels`). Empty values are left
 * out when the form is encoded.
 */
export function connectCallForm(request: ConnectCallRequest): Record<string, FormValue> {
  // Every parameter is a form value (checked here, at compile time).
  const parameters: { readonly [K in keyof ConnectCallRequest]: FormValue } = request;
  return Object.fromEntries(
    Object.entries(parameters).map(([name, value]) => [name.charAt(0).toUpperCase() + name.slice(1), value]),
  );
}
