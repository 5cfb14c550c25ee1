import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { CallsService, ExoPhoneHealthService, OnExotelEvent, type ExotelEventOf } from 'nestjs-exotel';
import { ExotelTestHarness, ExotelTestingModule } from 'nestjs-exotel/testing';

const CUSTOMER = '+919812345678';
const AGENT = '+919876543210';

/** A host's own service, as a user would write it. */
@Injectable()
class Reminders {
  readonly initiated: string[] = [];

  constructor(private readonly calls: CallsService) {}

  remind(number: string) {
    return this.calls.connect({ from: number, to: AGENT });
  }

  @OnExotelEvent('call.initiated')
  onInitiated(event: ExotelEventOf<'call.initiated'>): void {
    this.initiated.push(event.subject);
  }
}

// What a host's test gets from nestjs-exotel/testing: no database, no Exotel, no HTTP server.
describe('ExotelTestingModule', () => {
  let moduleRef: TestingModule;
  let exotel: ExotelTestHarness;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ExotelTestingModule.forRoot()],
      providers: [Reminders],
    }).compile();
    await moduleRef.init();
    exotel = moduleRef.get(ExotelTestHarness);
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('places a call through the host’s injected CallsService, its handlers see the events', async () => {
    const call = await moduleRef.get(Reminders).remind(CUSTOMER);
    expect(call).toMatchObject({ outcome: 'initiated', callerId: { chosen: exotel.callerIds()[0] } });
    const initiated = await exotel.events('call.initiated');
    expect(initiated.map((e) => e.subject)).toEqual([call.id]);
    expect(moduleRef.get(Reminders).initiated).toEqual([call.id]);
    expect(exotel.simulator.calls().map((c) => c.sid)).toEqual([call.callSid]);
  });

  it('scripts the dialled party: a busy customer ends the call as busy', async () => {
    exotel.scriptCall(CUSTOMER, 'busy');
    const call = await moduleRef.get(Reminders).remind(CUSTOMER);
    const completed = await exotel.waitForEvent('call.completed', (e) => e.subject === call.id);
    expect(completed.data.status).toBe('busy');
  });

  it('fails a call when Calls/connect is refused, without retrying a refusal', async () => {
    exotel.failNextConnect(403);
    const call = await moduleRef.get(Reminders).remind(CUSTOMER);
    expect(call).toMatchObject({ outcome: 'failed', exotelStatus: 403 });
    expect(await exotel.events('call.failed')).toHaveLength(1);
  });

  it('times out after sending: the call is unknown until the reconciliation job settles it', async () => {
    exotel.timeoutAfterSend();
    const call = await moduleRef.get(Reminders).remind(CUSTOMER);
    expect(call.outcome).toBe('unknown');
    await exotel.simulator.waitForCall(exotel.simulator.calls()[0].sid);
    expect(await exotel.runJob('exotel.calls.reconcile')).toBe(true);
    const [reconciled] = await exotel.events('call.reconciled');
    expect(reconciled.data).toMatchObject({ finding: 'placed' });
    expect(exotel.simulator.requests().filter((r) => r.endpoint === 'connect')).toHaveLength(1);
  });

  it('feeds heartbeats with the chosen health: the ExoPhone goes down and failover avoids it', async () => {
    const [first] = exotel.simulator.exoPhones();
    await exotel.heartbeat({ [first.phoneNumber]: { outgoing: 'major_outage' } });
    // The first heartbeat tells the health of every ExoPhone (unknown until then); this one is down.
    const changes = (await exotel.events('exophone.health_changed')).filter(
      (e) => e.data.exoPhoneSid === first.sid && e.data.direction === 'outgoing',
    );
    expect(changes.map((e) => e.data)).toMatchObject([
      { source: 'heartbeat', previous: 'unknown', current: 'major_outage' },
    ]);
    const health = await moduleRef.get(ExoPhoneHealthService).get(first.sid);
    expect(health.outgoing.state).toBe('major_outage');
    const call = await moduleRef.get(Reminders).remind(CUSTOMER);
    expect(call).toMatchObject({ outcome: 'initiated', failover: true });
    expect(call.callerId.chosen).not.toBe(first.phoneNumber);
  });
});
