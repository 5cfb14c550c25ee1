import { z } from 'zod';
import { problem } from './configuration-problems';
import { OPTION_DEFAULTS } from './exotel-options.defaults';
import {
  coverageProblem,
  EXOTEL_SUPPORT_POLICY_V1,
  SUPPORT_PLANS,
  type CoverageHours,
  type SlaPolicyVersion,
  type SupportPlan,
} from './support-policy';

const DEFAULTS = OPTION_DEFAULTS.support;
const FRACTION_FIX = `use a fraction such as ${DEFAULTS.warningFraction}`;
const PLAN_FIX = 'use enterprise (24x7 support) or sme / smb (08:00-22:00 India time)';

const targetMinutes = z
  .int(problem('must be a whole number of minutes', 'use minutes of coverage time, e.g. 30 or 120'))
  .positive(problem('must be positive', 'use minutes of coverage time, e.g. 30 or 120'));

const targets = z.strictObject(
  { acknowledgementMinutes: targetMinutes, responseMinutes: targetMinutes },
  problem('targets are missing', 'give { acknowledgementMinutes, responseMinutes }'),
);

const COVERAGE_FIX =
  'use { kind: "always" } or { kind: "daily", timeZone: "Asia/Kolkata", from: "08:00", to: "22:00" }';

const coverage = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('always') }),
      z.strictObject({ kind: z.literal('daily'), timeZone: z.string(), from: z.string(), to: z.string() }),
    ],
    problem('is not a coverage', COVERAGE_FIX),
  )
  .superRefine((hours, context) => {
    const wrong = coverageProblem(hours);
    if (wrong) context.addIssue({ code: 'custom', message: problem(wrong, COVERAGE_FIX).error });
  });

const policyVersion = z
  .strictObject({
    id: z
      .string(problem('must be text', 'name the version, e.g. exotel-2027'))
      .regex(
        /^[A-Za-z0-9._-]{1,60}$/,
        problem('must be 1-60 letters, digits, ".", "_" or "-"', 'e.g. exotel-2027'),
      ),
    effectiveFrom: z
      .union(
        [z.date(), z.iso.datetime({ offset: true })],
        problem('must be a Date or an ISO 8601 instant', 'e.g. 2027-01-01T00:00:00+05:30'),
      )
      .transform((value) => new Date(value)),
    targets: z.strictObject(
      { 1: targets, 2: targets, 3: targets, 4: targets },
      problem('targets are missing', 'give targets for severities 1, 2, 3 and 4'),
    ),
    coverage: z
      .strictObject({ enterprise: coverage.optional(), sme: coverage.optional(), smb: coverage.optional() })
      .default({}),
  })
  .transform((version): SlaPolicyVersion => ({
    ...version,
    // A plan the version does not mention keeps Exotel's published coverage.
    coverage: Object.fromEntries(
      SUPPORT_PLANS.map((plan) => [plan, version.coverage[plan] ?? EXOTEL_SUPPORT_POLICY_V1.coverage[plan]]),
    ) as Record<SupportPlan, CoverageHours>,
  }));

/** Validates the `support` options and fills in defaults. */
export const supportOptionsSchema = z
  .strictObject({
    plan: z.enum(SUPPORT_PLANS, problem('is not a support plan', PLAN_FIX)).default(DEFAULTS.plan),
    warningFraction: z
      .number(problem('must be a number', FRACTION_FIX))
      .gt(0, problem('must be above 0', FRACTION_FIX))
      .lt(1, problem('must be below 1', `${FRACTION_FIX} (a breach is reported at 1)`))
      .default(DEFAULTS.warningFraction),
    openTicketsForIncidents: z
      .boolean(problem('must be true or false', 'use true to open tickets for unplanned incidents'))
      .default(DEFAULTS.openTicketsForIncidents),
    checkIntervalMs: z
      .int(problem('must be a whole number of milliseconds', `use e.g. ${DEFAULTS.checkIntervalMs}`))
      .positive(problem('must be positive', `use e.g. ${DEFAULTS.checkIntervalMs}`))
      .default(DEFAULTS.checkIntervalMs),
    maxTicketAgeMs: z
      .int(
        problem('must be a whole number of milliseconds', `use e.g. ${DEFAULTS.maxTicketAgeMs} (366 days)`),
      )
      .positive(problem('must be positive', `use e.g. ${DEFAULTS.maxTicketAgeMs} (366 days)`))
      .default(DEFAULTS.maxTicketAgeMs),
    clockSkewMs: z
      .int(problem('must be a whole number of milliseconds', `use e.g. ${DEFAULTS.clockSkewMs} (5 minutes)`))
      .nonnegative(problem('must not be negative', `use e.g. ${DEFAULTS.clockSkewMs} (5 minutes)`))
      .default(DEFAULTS.clockSkewMs),
    policyVersions: z
      .array(policyVersion, problem('must be a list', 'pass an array of policy versions'))
      .default([...DEFAULTS.policyVersions])
      .refine(
        (versions) => new Set(versions.map((v) => v.id)).size === versions.length,
        problem('has two versions with the same id', 'give each version its own id'),
      ),
  })
  .prefault({});
