// The fault suite (`npm run test:faults`): real processes (the built service, the standalone
// simulator, librdkafka's mock cluster, PostgreSQL) put through faults, one scenario at a time.
// `npm test` leaves it out (its files end in .faults-spec.ts). See DEVELOPERS.md, "Fault suite".
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testRegex: '\\.faults-spec\\.ts$',
  setupFiles: [],
  globalSetup: '<rootDir>/test/faults/support/global-setup.ts',
  globalTeardown: undefined,
  // Scenarios start processes and hold outages: a hang guard, not a time goal.
  testTimeout: 300_000,
  // Serial: each scenario loads both cores on its own.
  maxWorkers: 1,
  // A scenario that fails midway can leave a poller or a child's pipe open; the suite ends anyway
  // (afterAll hooks kill the processes), so CI never waits on it.
  forceExit: true,
};
