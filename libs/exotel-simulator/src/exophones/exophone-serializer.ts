import { formatRfc3339 } from '../support/time-format';
import { connectivityBlock } from './connectivity-block';
import type { ExoPhoneHealth } from './exophone-health';
import type { SimExoPhone } from './exophone-inventory';

/** An ExoPhone as `v2_beta/…/IncomingPhoneNumbers` lists it (snake_case). */
export function serializeV2Beta(phone: SimExoPhone, accountSid: string): Record<string, unknown> {
  return {
    sid: phone.sid,
    phone_number: phone.phoneNumber,
    friendly_name: phone.friendlyName,
    capabilities: { voice: true, sms: true },
    country: 'IN',
    region: phone.region,
    voice_url: `https://my.exotel.com/${accountSid}/exoml/start_voice/100000`,
    sms_url: `https://my.exotel.com/${accountSid}/exoml/start_sms/100001`,
  };
}

/**
 * `data` of the v2 single GET: the documented fields plus `connectivity`, built from the same state
 * as the heartbeat so the two agree.
 */
export function serializeV2(
  phone: SimExoPhone,
  accountSid: string,
  health: ExoPhoneHealth,
): Record<string, unknown> {
  const incoming = health.get(phone.sid, 'incoming')!;
  const outgoing = health.get(phone.sid, 'outgoing')!;
  return {
    sid: phone.sid,
    date_created: formatRfc3339(phone.dateCreated),
    date_updated: formatRfc3339(Math.max(phone.dateCreated, incoming.lastCheckTime, outgoing.lastCheckTime)),
    friendly_name: phone.friendlyName,
    account_sid: accountSid,
    phone_number: phone.phoneNumber,
    capabilities: { voice: true },
    country: 'IN',
    region: phone.region,
    one_time_price: '0.000000',
    rental_price: '499.000000',
    incoming_rate: '0.000000',
    incoming_pulse: '60',
    currency: 'INR',
    number_type: phone.numberType,
    vanity_number: false,
    voice_url: `https://my.exotel.com/${accountSid}/exoml/start_voice/100000`,
    sms_url: `https://my.exotel.com/${accountSid}/exoml/start_sms/100001`,
    uri: `/v2/accounts/${accountSid}/incoming-phone-numbers/${phone.sid}`,
    connectivity: {
      incoming_call: connectivityBlock(health, phone.sid, 'incoming'),
      outgoing_call: connectivityBlock(health, phone.sid, 'outgoing'),
    },
  };
}
