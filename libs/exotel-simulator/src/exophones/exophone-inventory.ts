import { toNationalForm } from '../support/phone-numbers';

/** An ExoPhone (virtual number) of the simulated account. */
export interface SimExoPhone {
  /** Exotel's SID for the number; here its national form, as in Exotel's examples (`01139585476`). */
  readonly sid: string;
  /** E.164, e.g. `+911139585476`. */
  readonly phoneNumber: string;
  readonly friendlyName: string;
  /** Telecom circle, e.g. `DL`, `MH`, `KA`, `TN`. */
  readonly region: string;
  readonly numberType: 'Landline' | 'Mobile' | 'TollFree';
  /** When it was added to the account (epoch ms). */
  readonly dateCreated: number;
}

/** An ExoPhone to seed: at least its E.164 number and circle. */
export interface ExoPhoneSeed {
  readonly phoneNumber: string;
  readonly region: string;
  readonly sid?: string;
  readonly friendlyName?: string;
  readonly numberType?: SimExoPhone['numberType'];
}

// Numbers from Exotel's own examples where they exist, two per circle.
const DEFAULT_SEEDS: readonly ExoPhoneSeed[] = [
  { phoneNumber: '+911139585476', region: 'DL' },
  { phoneNumber: '+918047491899', region: 'KA' },
  { phoneNumber: '+912233344455', region: 'MH' },
  { phoneNumber: '+914461330000', region: 'TN' },
  { phoneNumber: '+911141170001', region: 'DL' },
  { phoneNumber: '+918030752522', region: 'KA' },
  { phoneNumber: '+912240000011', region: 'MH' },
  { phoneNumber: '+914440000021', region: 'TN' },
];

// Circles and their two-digit STD codes (eight-digit local numbers) for generated inventories.
const CIRCLES: readonly (readonly [string, string])[] = [
  ['DL', '11'],
  ['MH', '22'],
  ['KA', '80'],
  ['TN', '44'],
  ['GJ', '79'],
  ['WB', '33'],
  ['TS', '40'],
];

/** Default size of the seeded inventory. */
export const DEFAULT_EXOPHONE_COUNT = DEFAULT_SEEDS.length;

/**
 * The account's ExoPhones: the given seeds, or `count` numbers spread over the circles (the first
 * eight are the fixed defaults: two each in DL, KA, MH and TN).
 */
export function buildInventory(spec: number | readonly ExoPhoneSeed[], createdAt: number): SimExoPhone[] {
  const seeds = typeof spec === 'number' ? generatedSeeds(spec) : spec;
  const seen = new Set<string>();
  return seeds.map((seed, index) => {
    const sid = seed.sid ?? toNationalForm(seed.phoneNumber);
    if (seen.has(sid)) throw new Error(`ExoPhone ${sid} is seeded twice`);
    seen.add(sid);
    return {
      sid,
      phoneNumber: seed.phoneNumber,
      friendlyName: seed.friendlyName ?? toNationalForm(seed.phoneNumber),
      region: seed.region,
      numberType: seed.numberType ?? 'Landline',
      // Staggered so listings have distinct creation dates.
      dateCreated: createdAt - (seeds.length - index) * 86_400_000,
    };
  });
}

function generatedSeeds(count: number): ExoPhoneSeed[] {
  const seeds = DEFAULT_SEEDS.slice(0, count);
  for (let k = 0; seeds.length < count; k++) {
    const [region, std] = CIRCLES[k % CIRCLES.length];
    const local = 60_000_000 + Math.floor(k / CIRCLES.length);
    seeds.push({ phoneNumber: `+91${std}${local}`, region });
  }
  return seeds;
}
