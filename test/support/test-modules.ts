import { TypeOrmModule } from '@nestjs/typeorm';
import type { DynamicModule } from '@nestjs/common';
import { databaseOptions } from '../../apps/exotel-service/src/database/database-options';
import type { TestDatabase } from './test-database';

/** TypeORM wired to a test database exactly as the reference service wires it. */
export function typeOrmFor(database: TestDatabase): DynamicModule {
  return TypeOrmModule.forRoot(databaseOptions(database.settings, database.isolation));
}

/**
 * Management API keys: the module mounts management controllers (`/tickets`) by default, and
 * refuses to start without a key for them.
 */
export const TEST_MANAGEMENT = { apiKeys: ['test-management-key-0123456789'] };

/** Webhook secrets: webhook controllers (heartbeat, status callbacks) refuse to mount without one. */
export const TEST_WEBHOOKS = { secrets: ['test-webhook-secret-0123456789'] };

/** Credentials that pass validation; tests point `baseUrl` at a loopback server. */
export const TEST_CREDENTIALS = {
  apiKey: 'test-api-key',
  apiToken: 'test-api-token-very-secret',
  accountSid: 'acme-test',
};
