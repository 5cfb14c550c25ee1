// Lets a plain `node` child process run the project's TypeScript directly (tests that need a real
// process to kill, not a Jest worker): .ts files are transpiled on load with TypeScript itself,
// decorator metadata included, and the package names resolve to the packages' sources.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const ts = require('typescript');

const root = path.resolve(__dirname, '../..');
const aliases = {
  'nestjs-exotel': path.join(root, 'libs/exotel/src/index.ts'),
  'nestjs-exotel/events': path.join(root, 'libs/exotel/src/events/index.ts'),
  'nestjs-exotel/testing': path.join(root, 'libs/exotel/src/testing/index.ts'),
  // Not a package entry: the internals the tests use.
  'nestjs-exotel/internal': path.join(root, 'libs/exotel/src/internal.ts'),
  'exotel-simulator': path.join(root, 'libs/exotel-simulator/src/index.ts'),
};
const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  sourceMap: false,
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, aliases[request] ?? request, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  module._compile(ts.transpileModule(source, { fileName: filename, compilerOptions }).outputText, filename);
};
