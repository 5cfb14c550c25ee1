// Jest runs the TypeScript sources through ts-jest (CommonJS output, like the build).
// NestJS 12 and a few of its dependencies ship as ES modules only; Node >= 20.19 loads them
// with require(esm) at run time, but Jest's own module loader cannot, so those packages are
// compiled to CommonJS by test/support/esm-to-commonjs.transform.js (TypeScript's transpiler,
// cached) while everything else in node_modules is left alone.
const esmOnlyPackages = [
  '@nestjs',
  '@standard-schema',
  '@borewit',
  '@tokenizer',
  'uid',
  'ulid',
  'file-type',
  'load-esm',
  'strtok3',
  'token-types',
  'uint8array-extras',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    '^.+\\.m?js$': '<rootDir>/test/support/esm-to-commonjs.transform.js',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  moduleNameMapper: {
    // The packages by name, as a host imports them, resolved to their sources (no build needed).
    '^nestjs-exotel$': '<rootDir>/libs/exotel/src/index.ts',
    '^nestjs-exotel/(events|testing)$': '<rootDir>/libs/exotel/src/$1/index.ts',
    // Not a package entry: the internals the suites use (libs/exotel/src/internal.ts).
    '^nestjs-exotel/internal$': '<rootDir>/libs/exotel/src/internal.ts',
    '^exotel-simulator$': '<rootDir>/libs/exotel-simulator/src/index.ts',
  },
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 2,
};
