import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePostgres } from '../../support/postgres';
import { REPO_ROOT } from './managed-process';

/** The built entry points the fault suite runs as processes (`npm run build`). */
const BUILT = ['apps/exotel-service/dist/main.js', 'libs/exotel-simulator/dist/cli/cli.js'];

/** Jest global setup of the fault suite: PostgreSQL answers and the service and simulator are built. */
export default async function globalSetup(): Promise<void> {
  await ensurePostgres();
  const missing = BUILT.filter((path) => !existsSync(join(REPO_ROOT, path)));
  if (missing.length > 0)
    throw new Error(
      `The fault suite runs the built processes; missing ${missing.join(', ')}: run npm run build`,
    );
}
