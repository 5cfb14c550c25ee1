import { apiError } from '../http/api-errors';
import { restException, type Reply } from '../http/reply';
import type { ApiRoute, RouteContext } from '../http/route';
import type { SimulatorCore } from '../simulator-core';
import { serializeV2, serializeV2Beta } from './exophone-serializer';

const SID = '(?<sid>[^/]+)';

/** The ExoPhone routes: the v2_beta list and single GET, and the v2 GET with connectivity. */
export function exoPhoneRoutes(core: SimulatorCore): ApiRoute[] {
  const { accountSid } = core.options;

  const list = (context: RouteContext): Reply => {
    const page = wholeNumber(context.query.get('Page'), 0);
    const pageSize = wholeNumber(context.query.get('PageSize'), 50);
    if (page === null || pageSize === null || pageSize < 1) {
      return restException(400, 'Page must be 0 or more and PageSize 1 or more');
    }
    const base = `/v2_beta/Accounts/${accountSid}/IncomingPhoneNumbers`;
    const uri = (p: number): string => `${base}?Page=${p}&PageSize=${pageSize}`;
    const items = core.inventory.slice(page * pageSize, (page + 1) * pageSize);
    const more = (page + 1) * pageSize < core.inventory.length;
    return {
      status: 200,
      body: {
        page,
        page_size: pageSize,
        uri: uri(page),
        first_page_uri: uri(0),
        next_page_uri: more ? uri(page + 1) : null,
        previous_page_uri: page > 0 ? uri(page - 1) : null,
        incoming_phone_numbers: items.map((phone) => serializeV2Beta(phone, accountSid)),
      },
    };
  };

  const single = (context: RouteContext): Reply => {
    const phone = core.exoPhoneBySid(context.params.exoSid);
    if (!phone) return restException(404, `ExoPhone ${context.params.exoSid} was not found`);
    return { status: 200, body: serializeV2Beta(phone, accountSid) };
  };

  const details = (context: RouteContext): Reply => {
    const phone = core.exoPhoneBySid(context.params.exoSid);
    if (!phone) {
      return apiError({ family: 'v2', status: 404, requestId: context.requestId, method: context.method });
    }
    return {
      status: 200,
      body: {
        request_id: context.requestId,
        method: 'GET',
        http_code: 200,
        metadata: { page_size: 1, page: 0 },
        response: [
          {
            code: 200,
            error_data: null,
            status: 'success',
            data: serializeV2(phone, accountSid, core.health),
          },
        ],
      },
    };
  };

  return [
    {
      method: 'GET',
      pattern: new RegExp(`^/v2_beta/Accounts/${SID}/IncomingPhoneNumbers/?$`),
      endpoint: 'exophones-list',
      family: 'v2_beta',
      handle: list,
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/v2_beta/Accounts/${SID}/IncomingPhoneNumbers/(?<exoSid>[^/]+)$`),
      endpoint: 'exophone-v2beta',
      family: 'v2_beta',
      handle: single,
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/v2/accounts/${SID}/incoming-phone-numbers/(?<exoSid>[^/]+)$`),
      endpoint: 'exophone-details',
      family: 'v2',
      handle: details,
    },
  ];
}

/** `fallback` when absent, null when not a whole number ≥ 0. */
function wholeNumber(raw: string | null, fallback: number): number | null {
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : null;
}
