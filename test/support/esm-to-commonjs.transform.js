// Jest transformer for ES-module-only packages in node_modules (NestJS 12 and a few of its
// dependencies): TypeScript's own transpiler rewrites import/export, and dynamic import(), to
// CommonJS, which Jest's module loader understands. Type information is not needed for that.
// `import.meta` has no CommonJS spelling in TypeScript's output, so its uses are rewritten first,
// and ES modules that build their own `require` from it get CommonJS's own instead.
const { createHash } = require('node:crypto');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
  esModuleInterop: true,
  sourceMap: false,
};

module.exports = {
  process(source, filename) {
    const commonJsSource = source
      .replace(/^\s*const require\s*=\s*(?:\w+\.)?createRequire\(import\.meta\.url\);?\s*$/gm, '')
      .replace(/\bimport\.meta\.url\b/g, "require('node:url').pathToFileURL(__filename).href")
      .replace(/\bimport\.meta\.resolve\(/g, 'require.resolve(')
      .replace(/\bimport\.meta\.dirname\b/g, '__dirname')
      .replace(/\bimport\.meta\.filename\b/g, '__filename');
    return { code: ts.transpileModule(commonJsSource, { fileName: filename, compilerOptions }).outputText };
  },
  getCacheKey(source, filename) {
    return createHash('sha1')
      .update(ts.version)
      .update('\0')
      .update(filename)
      .update('\0')
      .update(source)
      .digest('hex');
  },
};
