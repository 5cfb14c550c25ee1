#!/usr/bin/env node
// The public API reports: one per package entry point, committed under libs/<package>/api/.
//
//   node scripts/api-report.mjs            (npm run api:check)  fails if a report differs from the build
//   node scripts/api-report.mjs --update   (npm run api:update) rewrites the reports from the build
//
// Every libs/<package>/api-extractor*.json is one entry point (see api-extractor.base.json). API
// Extractor reads the .d.ts files in dist/, so run `npm run build` first. Plain Node ESM on purpose:
// it needs no build of its own.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const libs = path.join(root, 'libs');
const update = process.argv.includes('--update');
const relative = (file) => path.relative(root, file);

// API Extractor's own notes about the report file ("copy temp/... to ..."): this script says what to
// do instead.
const REPORT_NOTES = new Set([
  'console-api-report-not-copied',
  'console-api-report-copied',
  'console-api-report-created',
]);

function packageFolders() {
  return readdirSync(libs, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(libs, entry.name));
}

function configFiles() {
  return packageFolders()
    .flatMap((folder) =>
      readdirSync(folder)
        .filter((name) => /^api-extractor(\.[\w-]+)?\.json$/.test(name))
        .map((name) => path.join(folder, name)),
    )
    .sort();
}

/**
 * `ExtractorConfig.loadFileAndPrepare`, except that a missing entry point does not throw: this script
 * reports it, and the config still names the report it owns.
 */
function prepare(file) {
  return ExtractorConfig.prepare({
    configObject: ExtractorConfig.loadFile(file),
    configObjectFullPath: file,
    packageJsonFullPath: path.join(path.dirname(file), 'package.json'),
    ignoreMissingEntryPoint: true,
  });
}

const configs = configFiles().map((file) => {
  const config = prepare(file);
  const reports = config.reportConfigs.map((report) => path.join(config.reportFolder, report.fileName));
  return { file, config, reports, built: existsSync(config.mainEntryPointFilePath) };
});

// One TypeScript program per package, holding all of its built entry points, which each of the
// package's configs reuses instead of compiling the same .d.ts files again.
const compilerStates = new Map();
function compilerStateFor({ config }) {
  const folder = config.projectFolder;
  if (!compilerStates.has(folder)) {
    const additionalEntryPoints = configs
      .filter((other) => other.built && other.config.projectFolder === folder && other.config !== config)
      .map((other) => other.config.mainEntryPointFilePath);
    compilerStates.set(folder, CompilerState.create(config, { additionalEntryPoints }));
  }
  return compilerStates.get(folder);
}

/** Runs one config; returns 'ok', 'updated', 'changed', 'skipped' or 'failed'. */
function run(entry) {
  const { file, config, reports } = entry;
  const names = reports.map(relative).join(', ');
  if (!entry.built) {
    console.error(
      `SKIPPED ${names}: its entry point ${relative(config.mainEntryPointFilePath)} (${relative(file)}) ` +
        'does not exist. Run `npm run build` first; an entry point that is not written yet cannot be checked.',
    );
    return 'skipped';
  }
  const result = Extractor.invoke(config, {
    compilerState: compilerStateFor(entry),
    localBuild: update,
    printApiReportDiff: !update,
    messageCallback: (message) => {
      // Warnings, errors and the diff of a changed report reach the console; the rest is noise.
      if (
        REPORT_NOTES.has(message.messageId) ||
        message.logLevel === 'info' ||
        message.logLevel === 'verbose'
      ) {
        message.handled = true;
      }
    },
  });
  if (result.errorCount > 0) {
    console.error(`FAILED ${names}: API Extractor reported ${result.errorCount} error(s), above.`);
    return 'failed';
  }
  if (!result.apiReportChanged) {
    console.log(`ok ${names}`);
    return 'ok';
  }
  if (update) {
    console.log(`updated ${names}: review the change and commit it.`);
    return 'updated';
  }
  console.error(
    `CHANGED ${names}: the public API of ${relative(config.mainEntryPointFilePath)} differs from the ` +
      'committed report (diff above). Run `npm run api:update` and commit the report.',
  );
  return 'changed';
}

const outcomes = configs.map(run);

// A committed report that no config writes any more (an entry point removed or renamed).
const owned = new Set(configs.flatMap(({ reports }) => reports));
const orphans = packageFolders()
  .map((folder) => path.join(folder, 'api'))
  .filter((folder) => existsSync(folder))
  .flatMap((folder) => readdirSync(folder).map((name) => path.join(folder, name)))
  .filter((file) => file.endsWith('.api.md') && !owned.has(file));
for (const orphan of orphans) {
  console.error(`ORPHANED ${relative(orphan)}: no api-extractor config writes this report; delete it.`);
}

// Update mode writes what it can: an entry point that is not built yet does not stop the others.
const failed = outcomes.some(
  (outcome) => outcome === 'failed' || outcome === 'changed' || (outcome === 'skipped' && !update),
);
process.exit(failed || orphans.length > 0 ? 1 : 0);
