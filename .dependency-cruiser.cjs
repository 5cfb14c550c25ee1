// @ts-check
// The layering of the workspace, checked by `npm run lint:deps` (dependency-cruiser) in CI.
//
// Inside libs/exotel/src, from the top down (a folder imports the layers below it and, without
// loops, its own):
//   entries         index.ts, events/index.ts, testing/      the package's public surface, and
//                   internal.ts, the internals this repository's tests use (not a package entry)
//   assembly        exotel.module.ts and the other files at the top of src/: the module, its
//                   definition and the registries (event catalogue, entities, controllers)
//   capabilities    calls, exophones, heartbeat, incidents, support, voice, console
//   infrastructure  events, persistence, http, client, options, jobs
//   foundation      errors, logging, metrics, health, phone, async, exotel.constants.ts
// Capabilities use each other only through their public surface (PUBLIC_BY_NAME below). Specs follow the
// rules of their folder, and may also build the assembled module.

const SRC = '^libs/exotel/src/';
const CAPABILITIES = ['calls', 'exophones', 'heartbeat', 'incidents', 'support', 'voice', 'console'];
const INFRASTRUCTURE = ['events', 'persistence', 'http', 'client', 'options', 'jobs'];
const FOUNDATION = ['errors', 'logging', 'metrics', 'health', 'phone', 'async'];

const folders = (names) => `${SRC}(${names.join('|')})/`;
const CAPABILITY = folders(CAPABILITIES);
const SPEC = '\\.(spec|e2e-spec|property\\.spec)\\.ts$';
// The package's entry points, and the repository's internal one: they re-export from every layer.
const INTERNAL_ENTRY = `${SRC}internal\\.ts$`;
const ENTRIES = [`${SRC}index\\.ts$`, `${SRC}events/index\\.ts$`, `${SRC}testing/`, INTERNAL_ENTRY];
// Files at the top of src/ (the assembly), less the injection tokens every layer shares.
const ASSEMBLY = `${SRC}[^/]+\\.ts$`;
const SHARED_TOKENS = `${SRC}exotel\\.constants\\.ts$`;

// What a capability offers the others: its services, its event schemas, its types, its errors and
// the ports it defines for another capability to implement, by file name, in every capability.
const PUBLIC_BY_NAME = '\\.(service|events|types|errors|port)\\.ts$';
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-app-from-library',
      severity: 'error',
      comment:
        'A library never imports an app: the apps are hosts of the packages, not part of them. Move ' +
        'what the library needs into the library, or let the app pass it in (options, a provider).',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-use-the-public-entries',
      severity: 'error',
      comment:
        'The apps use nestjs-exotel as a host would, through its package entries (nestjs-exotel, ' +
        'nestjs-exotel/events, nestjs-exotel/testing): nestjs-exotel/internal is for this ' +
        'repository\u2019s tests only and is not in the package. If an app needs an internal, make it ' +
        'public in src/index.ts (and its API report).',
      from: { path: '^apps/' },
      to: { path: INTERNAL_ENTRY },
    },
    {
      name: 'simulator-apart',
      severity: 'error',
      comment:
        'The simulator shares no code with nestjs-exotel: it fakes Exotel as Exotel documents it, so ' +
        'a mistake in the library cannot hide in both. Copy what it needs; never import the library.',
      from: { path: '^libs/exotel-simulator/' },
      to: { path: '^libs/exotel/' },
    },
    {
      name: 'simulator-only-by-its-package',
      severity: 'error',
      comment:
        'Only nestjs-exotel/testing uses the simulator (in-process, for hosts\u2019 tests), and only ' +
        'through its package entry (`exotel-simulator`). Nothing else in the library imports it.',
      from: { path: '^libs/exotel/', pathNot: `${SRC}testing/` },
      to: { path: '^libs/exotel-simulator/' },
    },
    {
      name: 'simulator-by-its-package-only',
      severity: 'error',
      comment:
        'nestjs-exotel/testing imports the simulator by its package name (`exotel-simulator`), never ' +
        'a file inside it: its internals are its own.',
      from: { path: `${SRC}testing/` },
      to: { path: '^libs/exotel-simulator/', pathNot: '^libs/exotel-simulator/src/index\\.ts$' },
    },
    {
      name: 'infrastructure-not-to-capability',
      severity: 'error',
      comment:
        'events/, persistence/, http/, client/, options/ and jobs/ serve every capability and know ' +
        'none: a registry of all capabilities (schemas, entities, controllers) belongs beside ' +
        'exotel.module.ts, and a capability that needs to hear from the infrastructure implements a ' +
        'port the infrastructure defines (see client/exotel-api-outcomes.ts).',
      from: { path: folders(INFRASTRUCTURE), pathNot: ENTRIES },
      to: { path: CAPABILITY },
    },
    {
      name: 'foundation-imports-foundation',
      severity: 'error',
      comment:
        'errors/, logging/, metrics/, health/, phone/ and async/ are the bottom layer: they import ' +
        'only each other (and packages). Move the code that needs more up, or pass it in.',
      from: { path: folders(FOUNDATION) },
      to: { path: SRC, pathNot: [folders(FOUNDATION), SHARED_TOKENS] },
    },
    {
      name: 'tokens-import-nothing',
      severity: 'error',
      comment:
        'exotel.constants.ts holds the injection tokens every layer shares; it imports nothing of ' +
        'the library, so any layer may import it.',
      from: { path: SHARED_TOKENS },
      to: { path: SRC },
    },
    {
      name: 'not-up-to-the-assembly',
      severity: 'error',
      comment:
        'Capabilities and infrastructure never import the files at the top of src/ (the module, its ' +
        'definition, the registries): those assemble them. Move the shared piece down (a type into ' +
        'the folder that owns it), or inject it. Specs may build the assembled module.',
      from: { path: folders([...CAPABILITIES, ...INFRASTRUCTURE]), pathNot: [...ENTRIES, SPEC] },
      to: { path: ASSEMBLY, pathNot: [SHARED_TOKENS, ...ENTRIES] },
    },
    {
      name: 'not-to-an-entry',
      severity: 'error',
      comment:
        'Inside the library, import by relative path, never through its own entry points ' +
        '(index.ts, events/index.ts, testing/): barrel cycles give `undefined` providers.',
      from: { path: SRC, pathNot: [`${SRC}testing/`, `${SRC}index\\.ts$`] },
      to: { path: ENTRIES },
    },
    {
      name: 'capability-through-public-surface',
      severity: 'error',
      comment:
        'A capability uses another only through its public surface: its services (*.service.ts), ' +
        'event schemas (*.events.ts), types (*.types.ts), errors (*.errors.ts) and ports (*.port.ts). ' +
        'Go through the owner\u2019s service or event, or move the type into its *.types.ts.',
      from: { path: `${SRC}(${CAPABILITIES.join('|')})/` },
      to: { path: CAPABILITY, pathNot: [`${SRC}$1/`, PUBLIC_BY_NAME] },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment:
        'No two folders import each other, directly or around a loop: one of them must own what ' +
        'the other needs (a type, a port it implements, an event it listens to).',
      scope: 'folder',
      from: { path: '^(libs|apps)/' },
      to: { circular: true },
    },
  ],
  options: {
    // Specs use the test helpers in test/, which use the packages and the apps: the helpers are
    // cruised as leaves, not followed, so they close no loop between the folders under test.
    doNotFollow: { path: ['node_modules', '^test/'] },
    exclude: { path: ['(^|/)node_modules/', '(^|/)dist/'] },
    // Type-only imports are dependencies too: they tie one layer's types to another's.
    tsPreCompilationDeps: true,
    // The root tsconfig maps the package names (nestjs-exotel, exotel-simulator) to their sources.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
