import { ensurePostgres } from './postgres';

/** Jest global setup: make sure the real services the suites use are up. */
export default async function globalSetup(): Promise<void> {
  await ensurePostgres();
}
