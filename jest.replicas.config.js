// The N-process suite (`npm run test:replicas`): three built service processes on one PostgreSQL
// database and one Kafka mock cluster, with one standalone simulator, all started by the test.
// `npm test` leaves it out (its files end in .replicas-spec.ts). See DEVELOPERS.md, "Replica suite".
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/replicas'],
  testRegex: '\\.replicas-spec\\.ts$',
  setupFiles: [],
  globalSetup: '<rootDir>/test/faults/support/global-setup.ts',
  globalTeardown: undefined,
  // The budget scenario places 200 calls at 60 a minute: minutes by design. A hang guard, not a goal.
  testTimeout: 600_000,
  maxWorkers: 1,
  // A scenario that fails midway can leave a poller or a child's pipe open; the suite ends anyway
  // (afterAll hooks kill the processes), so CI never waits on it.
  forceExit: true,
};
