/**
 * Writes the OpenAPI document of the reference service's HTTP surface to docs/openapi.json, for
 * readers and client generators that do not run the service: `npm run openapi`. A test fails when
 * the committed file is out of date.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from '../apps/exotel-service/src/app.module';
import { loadServiceConfig } from '../apps/exotel-service/src/config/service-config';
import { buildOpenApiDocument } from '../apps/exotel-service/src/openapi/openapi';

async function main(): Promise<void> {
  // Placeholder settings: the document depends on the mounted controllers, never on secrets.
  const config = {
    ...loadServiceConfig({
      EXOTEL_API_KEY: 'openapi',
      EXOTEL_API_TOKEN: 'openapi',
      EXOTEL_SID: 'openapi',
      EXOTEL_BASE_URL: 'http://127.0.0.1:9',
      EXOTEL_WEBHOOK_SECRET: 'openapi-placeholder-secret',
      SERVICE_API_KEYS: 'openapi-placeholder-key',
      LOG_LEVEL: 'silent',
    }),
    database: { type: 'sqlite' as const, path: ':memory:' },
  };
  const app = await NestFactory.create(
    AppModule.forRoot(config, { exotel: { jobs: { enabled: false }, exophones: { syncOnStart: false } } }),
    { logger: false, bodyParser: false },
  );
  try {
    const document = buildOpenApiDocument(app);
    writeFileSync(join(process.cwd(), 'docs/openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`Wrote docs/openapi.json (${Object.keys(document.paths).length} paths)\n`);
  } finally {
    await app.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
