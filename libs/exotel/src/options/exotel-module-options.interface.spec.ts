import { join } from 'node:path';
import * as ts from 'typescript';
import type { z } from 'zod';
import type { DeepReadonly } from './deep-readonly';
import type { ExotelModuleOptions } from './exotel-module-options.interface';
import type { exotelOptionsSchema } from './exotel-options.schema';

// The documented option interfaces (read by users and the README generator) against what the schema
// accepts. The assertions below are checked by the compiler, not by Jest: ts-jest only transpiles
// (isolatedModules), so the test at the end type-checks this file and fails on any error here.

/** Whether `A` and `B` are the same type, not merely assignable to each other. */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** `true` when the documented and the validated type are the same; otherwise both, for the error. */
type Same<Documented, Validated> =
  Equals<Documented, Validated> extends true ? true : { documented: Documented; validated: Validated };

// Read-only or not makes no difference to what a host may pass.
type Documented = DeepReadonly<ExotelModuleOptions>;
type Validated = DeepReadonly<z.input<typeof exotelOptionsSchema>>;

// The same options, key by key: none documented but not validated, none validated but undocumented.
const sameOptions: Same<keyof Documented, keyof Validated> = true;
// Each group on its own, so that an error names the group that drifted.
const sameCredentials: Same<Documented['credentials'], Validated['credentials']> = true;
const sameSubdomain: Same<Documented['subdomain'], Validated['subdomain']> = true;
const sameBaseUrl: Same<Documented['baseUrl'], Validated['baseUrl']> = true;
const sameTimeouts: Same<Documented['timeouts'], Validated['timeouts']> = true;
const sameRateLimit: Same<Documented['rateLimit'], Validated['rateLimit']> = true;
const sameRetry: Same<Documented['retry'], Validated['retry']> = true;
const sameArrayEncoding: Same<Documented['arrayEncoding'], Validated['arrayEncoding']> = true;
const sameApplets: Same<Documented['applets'], Validated['applets']> = true;
const sameWebhooks: Same<Documented['webhooks'], Validated['webhooks']> = true;
const sameManagement: Same<Documented['management'], Validated['management']> = true;
const sameJobs: Same<Documented['jobs'], Validated['jobs']> = true;
const sameSupport: Same<Documented['support'], Validated['support']> = true;
const sameExophones: Same<Documented['exophones'], Validated['exophones']> = true;
const sameHeartbeat: Same<Documented['heartbeat'], Validated['heartbeat']> = true;
const sameEvents: Same<Documented['events'], Validated['events']> = true;
const sameIncidents: Same<Documented['incidents'], Validated['incidents']> = true;
const sameVoice: Same<Documented['voice'], Validated['voice']> = true;
const sameCalls: Same<Documented['calls'], Validated['calls']> = true;
// And as a whole, required and optional alike.
const sameWhole: Same<Documented, Validated> = true;

// The checker itself: a near miss is not the same type.
const nearMiss: Equals<{ a?: number }, { a: number | undefined }> = false;

const assertions = [
  sameOptions,
  sameCredentials,
  sameSubdomain,
  sameBaseUrl,
  sameTimeouts,
  sameRateLimit,
  sameRetry,
  sameArrayEncoding,
  sameApplets,
  sameWebhooks,
  sameManagement,
  sameJobs,
  sameSupport,
  sameExophones,
  sameHeartbeat,
  sameEvents,
  sameIncidents,
  sameVoice,
  sameCalls,
  sameWhole,
  !nearMiss,
];

/** The compiler's errors in this file, under the repository's tsconfig.json. */
function typeErrors(): string[] {
  const root = join(__dirname, '../../../..');
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json could not be read');
  const program = ts.createProgram([__filename], { ...config.options, noEmit: true });
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(__filename)).map((diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return text;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `line ${line + 1}: ${text}`;
  });
}

describe('ExotelModuleOptions and the options schema', () => {
  it('accept the same options, with the same types (type-checked)', () => {
    expect(assertions.every(Boolean)).toBe(true);
    expect(typeErrors()).toEqual([]);
  });
});
