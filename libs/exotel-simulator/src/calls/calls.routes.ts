import { restException, type Reply } from '../http/reply';
import type { ApiRoute, RouteContext } from '../http/route';
import type { SimulatorCore } from '../simulator-core';
import { queryCalls } from './bulk-query';
import { serializeCall } from './call-serializer';
import { isRejection, validateConnect } from './connect-validation';

const SID = '(?<sid>[^/]+)';

/** The v1 voice routes: Calls/connect, call details and the bulk call list. */
export function callRoutes(core: SimulatorCore): ApiRoute[] {
  const { accountSid } = core.options;
  const pricePerMinute = core.options.calls.pricePerMinute;

  const connect = (context: RouteContext): Reply => {
    const form = context.form!;
    const params = validateConnect(form, (callerId) => core.findExoPhone(callerId) !== undefined);
    if (isRejection(params)) return restException(400, params.message);
    const dnd = [params.to, params.from].find((number) => core.rejectsDnd(number));
    if (dnd) return restException(400, `${dnd} is registered on the DND (NCPR) list`);
    const call = core.engine.place(params);
    context.placedCallSid = call.sid;
    const details = context.query.get('details') === 'true';
    return { status: 200, body: { Call: serializeCall(call, accountSid, { details, pricePerMinute }) } };
  };

  const details = (context: RouteContext): Reply => {
    const validity = recordingValidity(context.query);
    if (validity === null)
      return restException(400, 'RecordingUrlValidity must be a whole number of minutes from 5 to 60');
    const call = core.engine.get(context.params.callSid);
    if (!call) return restException(404, `Call ${context.params.callSid} was not found`);
    const withDetails = context.query.get('details') === 'true';
    return {
      status: 200,
      body: {
        Call: serializeCall(call, accountSid, {
          details: withDetails,
          pricePerMinute,
          recordingValidityMinutes: validity ?? 5,
        }),
      },
    };
  };

  const bulk = (context: RouteContext): Reply => {
    const validity = recordingValidity(context.query);
    if (validity === null)
      return restException(400, 'RecordingUrlValidity must be a whole number of minutes from 5 to 60');
    const page = queryCalls(core.engine.list(), context.query, context.path, Date.now(), pricePerMinute);
    if ('error' in page) return restException(400, page.error);
    return {
      status: 200,
      body: {
        Metadata: {
          Total: page.total,
          PageSize: page.pageSize,
          FirstPageUri: page.firstPageUri,
          PrevPageUri: page.prevPageUri,
          NextPageUri: page.nextPageUri,
        },
        Calls: page.calls.map((call) =>
          serializeCall(call, accountSid, { pricePerMinute, recordingValidityMinutes: validity }),
        ),
      },
    };
  };

  return [
    {
      method: 'POST',
      pattern: new RegExp(`^/v1/Accounts/${SID}/Calls/connect(?:\\.json)?$`),
      endpoint: 'connect',
      family: 'v1',
      handle: connect,
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/v1/Accounts/${SID}/Calls(?:\\.json)?$`),
      endpoint: 'bulk-calls',
      family: 'v1',
      handle: bulk,
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/v1/Accounts/${SID}/Calls/(?<callSid>[^/]+?)(?:\\.json)?$`),
      endpoint: 'call-details',
      family: 'v1',
      handle: details,
    },
    // The `Uri` Exotel's documented example returns.
    {
      method: 'GET',
      pattern: new RegExp(`^/v1/Accounts/${SID}/Calls\\.json/(?<callSid>[^/]+)$`),
      endpoint: 'call-details',
      family: 'v1',
      handle: details,
    },
  ];
}

/** undefined when absent, null when outside 5..60 minutes. */
function recordingValidity(query: URLSearchParams): number | undefined | null {
  const raw = query.get('RecordingUrlValidity');
  if (raw === null) return undefined;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 5 && value <= 60 ? value : null;
}
