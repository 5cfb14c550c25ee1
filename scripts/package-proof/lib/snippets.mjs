// README snippets as code: every ```ts / ```typescript block of the root README.md, unless the line
// before it is `<!-- snippet:skip -->`, is written to a file of its own and type-checked (strict, no
// emit) in the CommonJS app against the installed packages. Errors point at README lines.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from './exec.mjs';

const FENCE_OPEN = /^\s*```(ts|typescript)\s*$/;
const FENCE_CLOSE = /^\s*```\s*$/;
const SKIP = /^\s*<!--\s*snippet:skip\s*-->\s*$/;

/** The TypeScript blocks of `markdown`: `{ fenceLine, code, skip }`, lines counted from 1. */
function extractSnippets(markdown) {
  const lines = markdown.split('\n');
  const snippets = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE_OPEN.test(lines[i])) continue;
    let previous = i - 1;
    while (previous >= 0 && lines[previous].trim() === '') previous--;
    const skip = previous >= 0 && SKIP.test(lines[previous]);
    const start = i;
    const code = [];
    for (i++; i < lines.length && !FENCE_CLOSE.test(lines[i]); i++) code.push(lines[i]);
    snippets.push({ fenceLine: start + 1, code: `${code.join('\n')}\n`, skip });
  }
  return snippets;
}

/**
 * Writes the snippets into `appDir/snippets/` and type-checks them with the app's TypeScript.
 * Resolves to `{ checked, skipped }`; throws naming each failing snippet by its README line.
 */
export async function checkSnippets({ readme, readmeText, appDir, logFile }) {
  const snippets = extractSnippets(readmeText);
  const checked = snippets.filter((s) => !s.skip);
  const dir = path.join(appDir, 'snippets');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const byFile = new Map();
  for (const snippet of checked) {
    const file = `readme-L${snippet.fenceLine}.ts`;
    byFile.set(file, snippet);
    await writeFile(path.join(dir, file), snippet.code);
  }
  if (checked.length === 0) return { checked: 0, skipped: snippets.length };
  const { stdout, code } = await run(
    path.join(appDir, 'node_modules/.bin/tsc'),
    ['-p', 'tsconfig.snippets.json', '--pretty', 'false'],
    { cwd: appDir, logFile, allowFailure: true },
  );
  const failures = new Map();
  for (const line of stdout.split('\n')) {
    const match = /^snippets\/(readme-L\d+\.ts)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (!match) continue;
    const [, file, row, column, tsCode, message] = match;
    const snippet = byFile.get(file);
    const readmeLine = snippet.fenceLine + Number(row);
    const list = failures.get(snippet.fenceLine) ?? [];
    list.push(`${path.basename(readme)}:${readmeLine}:${column} ${tsCode} ${message}`);
    failures.set(snippet.fenceLine, list);
  }
  if (code !== 0 && failures.size === 0) throw new Error(`tsc failed on the snippets:\n${stdout}`);
  if (failures.size > 0) {
    const report = [...failures.entries()]
      .sort(([a], [b]) => a - b)
      .map(([fenceLine, errors]) => `README.md snippet at line ${fenceLine}:\n    ${errors.join('\n    ')}`);
    throw new Error(
      `${failures.size} of ${checked.length} README snippets do not compile ` +
        `(fix them, or mark one <!-- snippet:skip --> if it is not meant to):\n  ${report.join('\n  ')}`,
    );
  }
  return { checked: checked.length, skipped: snippets.length - checked.length };
}
