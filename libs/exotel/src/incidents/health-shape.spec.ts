import { ExoPhoneDirectory } from '../exophones/exophone-directory.service';
import type { ExoPhoneHealthState, PhoneHealth } from '../exophones/exophone-health.types';
import { healthFindings, scopeHealth } from './health-shape';
import { incidentAdvice } from './incident-advice';
import { expectedRestore, rcaDueAt } from './incident-clocks';
import { parseScope, scopeCovers } from './incident-scope';

const phone = (
  sid: string,
  region: string | null,
  outgoing: ExoPhoneHealthState = 'active',
  incoming: ExoPhoneHealthState = 'active',
  extra: Partial<PhoneHealth> = {},
): PhoneHealth => ({
  sid,
  phoneNumber: null,
  region,
  customerFacing: false,
  incomingState: incoming,
  outgoingState: outgoing,
  incomingAlternates: [],
  outgoingAlternates: [],
  ...extra,
});

describe('the shape of an outage', () => {
  it('calls one region down an operator-related finding, and everything down an Exotel-specific one', () => {
    const oneRegion = healthFindings([
      phone('ka1', 'KA', 'major_outage'),
      phone('ka2', 'KA', 'active', 'partial_network_outage'),
      phone('mh1', 'MH'),
    ]);
    expect(oneRegion).toEqual([
      expect.objectContaining({
        scope: 'region:KA',
        origin: 'operator',
        mayOpen: true,
        affected: [
          { exoPhoneSid: 'ka1', direction: 'outgoing' },
          { exoPhoneSid: 'ka2', direction: 'incoming' },
        ],
      }),
    ]);
    expect(oneRegion[0].evidence).toEqual([
      '2 of 2 ExoPhones in region KA affected',
      'every ExoPhone elsewhere is healthy (1)',
    ]);

    const everything = healthFindings([
      phone('ka1', 'KA', 'major_outage'),
      phone('mh1', 'MH', 'major_outage'),
    ]);
    expect(everything.map((f) => [f.scope, f.origin, f.mayOpen])).toEqual([
      ['exotel', 'exotel', true],
      ['region:KA', 'operator', false],
      ['region:MH', 'operator', false],
    ]);
  });

  it('does not call one circle, or unknown health, an Exotel-wide outage', () => {
    expect(
      healthFindings([phone('ka1', 'KA', 'major_outage'), phone('ka2', 'KA', 'major_outage')]).map(
        (f) => f.scope,
      ),
    ).toEqual(['region:KA']);
    expect(
      healthFindings([phone('a', 'KA', 'unknown', 'unknown'), phone('b', 'MH', 'unknown', 'unknown')]),
    ).toEqual([]);
    expect(healthFindings([phone('x', null, 'major_outage'), phone('y', 'MH')])[0]).toMatchObject({
      scope: 'region:unknown',
      origin: 'unknown',
    });
  });

  it('reads the health of any scope, including an ExoPhone opened by hand', () => {
    const phones = [phone('ka1', 'KA', 'major_outage'), phone('mh1', 'MH')];
    const findings = healthFindings(phones);
    expect(scopeHealth('exophone:ka1', phones, findings)).toEqual({
      affected: [{ exoPhoneSid: 'ka1', direction: 'outgoing' }],
      holds: true,
    });
    expect(scopeHealth('exotel', phones, findings)?.holds).toBe(false);
    expect(scopeHealth('region:MH', phones, findings)).toEqual({ affected: [], holds: false });
    expect(scopeHealth('api:latency', phones, findings)).toBeNull();
  });
});

describe('advice', () => {
  it('moves traffic to another region and warns about customer-facing ExoPhones', () => {
    const phones = [
      phone('ka1', 'KA', 'major_outage', 'major_outage', {
        customerFacing: true,
        phoneNumber: '+918047491899',
      }),
      phone('ka2', 'KA'),
      phone('mh1', 'MH'),
    ];
    const advice = incidentAdvice(
      [
        { exoPhoneSid: 'ka1', direction: 'outgoing' },
        { exoPhoneSid: 'ka1', direction: 'incoming' },
      ],
      phones,
      new ExoPhoneDirectory().failoverPlan(phones, []),
    );
    expect(advice.alternates).toEqual(['mh1']);
    expect(advice.moves.map((m) => m.to)).toEqual(['mh1', 'mh1']);
    expect(advice.warnings).toEqual([expect.stringContaining('+918047491899 is customer-facing')]);
  });

  it('says so when nothing healthy is left', () => {
    const phones = [phone('a', 'KA', 'major_outage')];
    const advice = incidentAdvice(
      [{ exoPhoneSid: 'a', direction: 'outgoing' }],
      phones,
      new ExoPhoneDirectory().failoverPlan(phones, []),
    );
    expect(advice.alternates).toEqual([]);
    expect(advice.warnings).toEqual(['no healthy ExoPhone is left to move traffic to']);
  });
});

describe('clocks and scopes', () => {
  const at = new Date('2026-11-23T10:00:00Z');

  it('expects Exotel-specific unplanned restoration in 2-4 h and its RCA 72 h after resolution', () => {
    expect(expectedRestore('exotel', false, at, null)).toEqual({
      from: new Date('2026-11-23T12:00:00Z'),
      by: new Date('2026-11-23T14:00:00Z'),
    });
    expect(expectedRestore('operator', false, at, null)).toEqual({ from: null, by: null });
    const end = new Date('2026-11-23T11:00:00Z');
    expect(expectedRestore('exotel', true, at, end)).toEqual({ from: null, by: end });
    expect(rcaDueAt('exotel', false, at)).toEqual(new Date('2026-11-26T10:00:00Z'));
    expect(rcaDueAt('operator', false, at)).toBeNull();
    expect(rcaDueAt('exotel', true, at)).toBeNull();
  });

  it('parses scopes and knows which windows cover which incidents', () => {
    expect(parseScope('region:ka')).toEqual({ kind: 'region', region: 'KA' });
    expect(parseScope('everything')).toBeNull();
    const regionOf = (sid: string) => (sid.startsWith('ka') ? 'KA' : 'MH');
    const ka = [{ exoPhoneSid: 'ka1', direction: 'outgoing' as const }];
    expect(scopeCovers('exotel', 'region:KA', ka, regionOf)).toBe(true);
    expect(scopeCovers('region:KA', 'region:KA', [], regionOf)).toBe(true);
    expect(scopeCovers('region:KA', 'exophone:ka1', ka, regionOf)).toBe(true);
    expect(scopeCovers('region:MH', 'region:KA', ka, regionOf)).toBe(false);
    expect(scopeCovers('region:KA', 'exotel', [], regionOf)).toBe(false);
  });
});
