/** The simulated Exotel endpoints, as named in fault rules, rate limits and recorded requests. */
export type SimEndpoint =
  'connect' | 'call-details' | 'bulk-calls' | 'exophones-list' | 'exophone-v2beta' | 'exophone-details';

/** The v1 voice endpoints that share Exotel's 200 requests/minute budget. */
export const VOICE_ENDPOINTS: readonly SimEndpoint[] = ['connect', 'call-details', 'bulk-calls'];

/** Every simulated endpoint. */
export const ALL_ENDPOINTS: readonly SimEndpoint[] = [
  ...VOICE_ENDPOINTS,
  'exophones-list',
  'exophone-v2beta',
  'exophone-details',
];
