// Preloaded by the built tools (`node -r ./scripts/internal-entry.cjs dist/bench/run.js`, see
// package.json): they import the library's internals as `nestjs-exotel/internal`, which the
// package's `exports` do not name, so Node would refuse it. This resolves that one name to the
// build, libs/exotel/dist/internal.js; tsconfig.tools.json maps its types the same way.
const Module = require('node:module');
const path = require('node:path');

const INTERNAL = path.join(__dirname, '../libs/exotel/dist/internal.js');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request === 'nestjs-exotel/internal' ? INTERNAL : request, ...rest);
};
