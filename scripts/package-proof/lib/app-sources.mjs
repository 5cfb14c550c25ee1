// The two Nest 12 apps the package proof creates from scratch: a CommonJS one and an ESM one, each a
// host of ExotelModule with its own TypeORM DataSource on better-sqlite3, a service that places a
// call through the injected CallsService, an @OnExotelEvent handler, and one jest test of its own.
// Sources are kept here as text (not .ts files) so the repository's own builds never see them.

/** Dependencies a host installs besides our two packages (their peers, and Nest's HTTP platform). */
const APP_DEPENDENCIES = {
  '@nestjs/common': '^12.0.1',
  '@nestjs/core': '^12.0.1',
  '@nestjs/platform-express': '^12.0.1',
  '@nestjs/typeorm': '^12.0.0',
  'better-sqlite3': '^12.0.0',
  'class-transformer': '^0.5.1',
  'class-validator': '^0.15.0',
  'reflect-metadata': '^0.2.2',
  rxjs: '^7.8.1',
  typeorm: '^1.0.0',
};

/** As the Nest 12 CLI's `ts` template has them (TypeScript 6, jest 30, ts-jest 29.4), on Node 20. */
const APP_DEV_DEPENDENCIES = {
  '@nestjs/testing': '^12.0.1',
  '@types/jest': '^30.0.0',
  '@types/node': '^20.19.0',
  jest: '^30.0.0',
  typescript: '^6.0.2',
};

/** What README snippets may import beyond the app's own dependencies (installed in the CJS app). */
const SNIPPET_DEPENDENCIES = {
  '@nestjs/config': '^12.0.0',
  '@nestjs/terminus': '^12.0.0',
};

/** The customer called in main.ts; the simulator answers for any number. */
const CUSTOMER = '+919876543210';

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

// Jest on Node 20 cannot require() an ES module (Jest does so natively from Node 24.9), and NestJS 12
// ships ES modules only, required by nestjs-exotel's CommonJS. So, as the repository's own jest setup
// does, ES modules are compiled to CommonJS on the way in; CommonJS files pass through untouched.
const ESM_TO_CJS_TRANSFORM = `// Jest transform: ES modules (from an ESM-only package, or .mjs) to CommonJS, with TypeScript's
// transpiler; everything else passes through. Needed on Node 20, where Jest cannot require() ESM.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const typeOfDir = new Map();
function packageType(dir) {
  if (typeOfDir.has(dir)) return typeOfDir.get(dir);
  let type;
  try {
    type = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).type ?? 'commonjs';
  } catch {
    const parent = path.dirname(dir);
    type = parent === dir ? 'commonjs' : packageType(parent);
  }
  typeOfDir.set(dir, type);
  return type;
}
const isEsm = (file) => file.endsWith('.mjs') || (!file.endsWith('.cjs') && packageType(path.dirname(file)) === 'module');

module.exports = {
  process(source, file) {
    if (!isEsm(file)) return { code: source };
    const commonJs = source
      .replace(/^\\s*const require\\s*=\\s*(?:\\w+\\.)?createRequire\\(import\\.meta\\.url\\);?\\s*$/gm, '')
      .replace(/\\bimport\\.meta\\.url\\b/g, "require('node:url').pathToFileURL(__filename).href")
      .replace(/\\bimport\\.meta\\.resolve\\(/g, 'require.resolve(')
      .replace(/\\bimport\\.meta\\.dirname\\b/g, '__dirname')
      .replace(/\\bimport\\.meta\\.filename\\b/g, '__filename');
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true, esModuleInterop: true };
    return { code: ts.transpileModule(commonJs, { fileName: file.replace(/\\.mjs$/, '.js'), compilerOptions }).outputText };
  },
  getCacheKey(source, file) {
    return createHash('sha1').update(ts.version).update(file).update(String(isEsm(file))).update(source).digest('hex');
  },
};
`;

/**
 * Every file of one app, by path. `kind` is `cjs` or `esm`; `packages` maps our package names to
 * the versions to install; `snippets` adds the README snippets' extra dependencies and tsconfig.
 */
export function appFiles({ kind, packages, snippets = false }) {
  const esm = kind === 'esm';
  // Relative imports: ESM needs the extension; CommonJS apps usually leave it out.
  const withExtension = (specifier) => (esm ? `${specifier}.js` : specifier);
  const local = (name) => withExtension(`./${name}`);
  const files = {};

  files['package.json'] = json({
    name: `proof-${kind}-app`,
    version: '0.0.0',
    private: true,
    ...(esm ? { type: 'module' } : {}),
    scripts: esm
      ? {
          build: 'tsc -p tsconfig.build.json',
          start: 'node dist/main.js',
          // Compiled first (tsc checks the tests as ESM), then run by jest as CommonJS.
          test: 'tsc -p tsconfig.test.json && jest',
        }
      : { build: 'tsc -p tsconfig.build.json', start: 'node dist/main.js', test: 'jest' },
    dependencies: { ...packages, ...APP_DEPENDENCIES },
    devDependencies: {
      ...APP_DEV_DEPENDENCIES,
      ...(esm ? {} : { 'ts-jest': '^29.4.0' }),
      ...(snippets ? SNIPPET_DEPENDENCIES : {}),
    },
    // npm 11 runs no install script it was not told to: better-sqlite3 builds its native addon.
    allowScripts: { 'better-sqlite3': true },
    jest: esm
      ? {
          testEnvironment: 'node',
          rootDir: '.',
          roots: ['<rootDir>/build-test/test'],
          testRegex: '\\.spec\\.js$',
          transform: { '^.+\\.m?js$': '<rootDir>/jest-esm-to-cjs.cjs' },
          transformIgnorePatterns: [],
        }
      : {
          testEnvironment: 'node',
          rootDir: '.',
          roots: ['<rootDir>/test'],
          testRegex: '\\.spec\\.ts$',
          moduleFileExtensions: ['ts', 'js', 'json'],
          transform: {
            '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
            '^.+\\.m?js$': '<rootDir>/jest-esm-to-cjs.cjs',
          },
          transformIgnorePatterns: [],
        },
  });

  files['tsconfig.json'] = json({
    compilerOptions: {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'ES2023',
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      esModuleInterop: true,
      isolatedModules: true,
      forceConsistentCasingInFileNames: true,
      skipLibCheck: true,
      types: ['node', 'jest'],
      rootDir: '.',
      outDir: 'dist',
    },
    include: ['src', 'test'],
  });
  files['tsconfig.build.json'] = json({
    extends: './tsconfig.json',
    compilerOptions: { rootDir: 'src', outDir: 'dist', types: ['node'] },
    include: ['src'],
  });
  if (esm) {
    files['tsconfig.test.json'] = json({
      extends: './tsconfig.json',
      compilerOptions: { rootDir: '.', outDir: 'build-test' },
      include: ['src', 'test'],
    });
  }
  if (snippets) {
    files['tsconfig.snippets.json'] = json({
      extends: './tsconfig.json',
      // Each snippet is its own module, even one without an import.
      compilerOptions: { noEmit: true, moduleDetection: 'force' },
      include: ['snippets'],
    });
  }
  files['jest-esm-to-cjs.cjs'] = ESM_TO_CJS_TRANSFORM;

  files['src/exotel-options.ts'] = `import { Injectable } from '@nestjs/common';
import type { ExotelModuleOptions, ExotelOptionsFactory } from 'nestjs-exotel';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(\`\${name} is not set\`);
  return value;
}

/** ExotelModule's options from the environment (main.ts sets it from the simulator it starts). */
export function exotelOptionsFromEnv(): ExotelModuleOptions {
  return {
    credentials: {
      apiKey: required('EXOTEL_API_KEY'),
      apiToken: required('EXOTEL_API_TOKEN'),
      accountSid: required('EXOTEL_SID'),
    },
    baseUrl: required('EXOTEL_BASE_URL'),
    webhooks: { secrets: [required('EXOTEL_WEBHOOK_SECRET')] },
    management: { apiKeys: [required('SERVICE_API_KEY')] },
    calls: { defaultCallerId: required('EXOTEL_CALLER_ID') },
  };
}

/** The same, as a class for \`ExotelModule.forRootAsync({ useClass })\`. */
@Injectable()
export class ExotelConfig implements ExotelOptionsFactory {
  createExotelOptions(): ExotelModuleOptions {
    return exotelOptionsFromEnv();
  }
}
`;

  files['src/reminder.service.ts'] = `import { Injectable } from '@nestjs/common';
import { CallsService, type CallRecord } from 'nestjs-exotel';

/** Where a reminded customer is connected once they answer. */
export const PAYMENTS_DESK = '+919900000001';

@Injectable()
export class ReminderService {
  constructor(private readonly calls: CallsService) {}

  /** Calls the customer, then connects them to the payments desk. */
  remind(customer: string): Promise<CallRecord> {
    return this.calls.connect({ from: customer, to: PAYMENTS_DESK, customField: 'payment-reminder' });
  }
}
`;

  files['src/call-log.ts'] = `import { Injectable } from '@nestjs/common';
import { OnExotelEvent, type ExotelEventOf } from 'nestjs-exotel';

type CallInitiated = ExotelEventOf<'call.initiated'>;

/** Keeps the \`call.initiated\` events the module hands to in-process handlers. */
@Injectable()
export class CallLog {
  private readonly received: CallInitiated[] = [];
  private readonly listeners = new Set<() => void>();

  @OnExotelEvent('call.initiated')
  onCallInitiated(event: CallInitiated): void {
    this.received.push(event);
    for (const listener of this.listeners) listener();
  }

  /** Resolves to the \`call.initiated\` of \`callId\` once it has arrived. */
  initiated(callId: string, timeoutMs: number): Promise<CallInitiated> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const event = this.received.find((e) => e.data.callId === callId);
        if (!event) return;
        done();
        resolve(event);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(\`no call.initiated for \${callId} within \${timeoutMs} ms\`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }
}
`;

  // The CommonJS app lists the entities and builds its options in a factory; the ESM app lets
  // TypeORM load the entities ExotelModule registers and hands Nest an options class.
  files['src/app.module.ts'] = `import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ${esm ? '' : 'EXOTEL_ENTITIES, '}ExotelModule } from 'nestjs-exotel';
import { CallLog } from '${local('call-log')}';
import { ${esm ? 'ExotelConfig' : 'exotelOptionsFromEnv'} } from '${local('exotel-options')}';
import { ReminderService } from '${local('reminder.service')}';

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: ':memory:',
      ${esm ? 'autoLoadEntities: true' : 'entities: [...EXOTEL_ENTITIES]'},
      synchronize: true,
    }),
    ExotelModule.forRootAsync({ ${esm ? 'useClass: ExotelConfig' : 'useFactory: exotelOptionsFromEnv'} }),
  ],
  providers: [ReminderService, CallLog],
})
export class AppModule {}
`;

  files['src/main.ts'] = `import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ExotelSimulator } from 'exotel-simulator';
import type { AddressInfo } from 'node:net';
import { AppModule } from '${local('app.module')}';
import { CallLog } from '${local('call-log')}';
import { ReminderService } from '${local('reminder.service')}';

async function main(): Promise<void> {
  const simulator = new ExotelSimulator({ speed: 100 });
  const baseUrl = await simulator.start();
  Object.assign(process.env, {
    EXOTEL_BASE_URL: baseUrl,
    EXOTEL_API_KEY: simulator.apiKey,
    EXOTEL_API_TOKEN: simulator.apiToken,
    EXOTEL_SID: simulator.accountSid,
    EXOTEL_WEBHOOK_SECRET: 'proof-webhook-secret-0123456789',
    SERVICE_API_KEY: 'proof-management-key-0123456789',
    EXOTEL_CALLER_ID: '+918047491899',
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: ['error', 'warn'] });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const call = await app.get(ReminderService).remind('${CUSTOMER}');
    const event = await app.get(CallLog).initiated(call.id, 15_000);
    // The module's webhook controllers are mounted on the host's Express: without the secret, 401.
    const heartbeat = await fetch(\`http://127.0.0.1:\${port}/exotel/heartbeat\`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const result = {
      moduleSystem: typeof require === 'undefined' ? 'esm' : 'commonjs',
      call: { id: call.id, outcome: call.outcome, status: call.status, callSid: call.callSid },
      event: { type: event.type, subject: event.subject, callId: event.data.callId, callSid: event.data.callSid },
      simulatorCallSids: simulator.calls().map((c) => c.sid),
      unauthenticatedHeartbeatStatus: heartbeat.status,
    };
    process.stdout.write(\`PROOF_RESULT \${JSON.stringify(result)}\\n\`);
  } finally {
    await app.close();
    await simulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

  // Written against nestjs-exotel/testing's public API (ExotelTestingModule, ExotelTestHarness).
  files['test/reminder.service.spec.ts'] = `import { Test } from '@nestjs/testing';
import { CallsService } from 'nestjs-exotel';
import { ExotelTestHarness, ExotelTestingModule } from 'nestjs-exotel/testing';
import { ReminderService } from '${withExtension('../src/reminder.service')}';

describe('ReminderService', () => {
  it('places the reminder through CallsService, and the call is initiated', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ExotelTestingModule.forRoot()],
      providers: [ReminderService],
    }).compile();
    await moduleRef.init();
    try {
      const exotel = moduleRef.get(ExotelTestHarness);
      exotel.scriptCall('+919812345678', 'busy');
      expect(moduleRef.get(CallsService)).toBeInstanceOf(CallsService);
      const call = await moduleRef.get(ReminderService).remind('+919812345678');
      expect(call.outcome).toBe('initiated');
      // \`events()\` resolves to the captured events (awaiting also covers a synchronous array).
      expect(await exotel.events('call.initiated')).toHaveLength(1);
    } finally {
      await moduleRef.close();
    }
  });
});
`;
  return files;
}

/** What main.ts of an app of `kind` must print, checked field by field. */
export function checkAppResult(kind, result) {
  const problems = [];
  const expect = (ok, what) => ok || problems.push(what);
  expect(result.moduleSystem === (kind === 'esm' ? 'esm' : 'commonjs'), `ran as ${result.moduleSystem}`);
  expect(result.call?.outcome === 'initiated', `call outcome ${result.call?.outcome}, not initiated`);
  expect(
    typeof result.call?.callSid === 'string' && result.call.callSid.length > 0,
    'the call has no CallSid',
  );
  expect(result.event?.type === 'call.initiated', `handler got ${result.event?.type}`);
  expect(result.event?.callId === result.call?.id, 'the event is about another call');
  expect(result.event?.callSid === result.call?.callSid, 'the event names another CallSid');
  expect(result.simulatorCallSids?.includes(result.call?.callSid), 'the simulator never saw the call');
  expect(
    result.unauthenticatedHeartbeatStatus === 401,
    `heartbeat without secret: ${result.unauthenticatedHeartbeatStatus}`,
  );
  if (problems.length > 0) throw new Error(`${kind} app: ${problems.join('; ')}\n${JSON.stringify(result)}`);
}
