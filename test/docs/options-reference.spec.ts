import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { collectOptionDocs, EXTRAS_SOURCE, parseDefault, type OptionDoc } from '../../scripts/option-docs';
import {
  FIX_COMMAND,
  formatMarkdown,
  markedSection,
  README,
  renderOptionsReference,
} from '../../scripts/options-reference';
// The resolver alone, not the package's index: this test needs nothing else of the library.
import { resolveExotelOptions } from '../../libs/exotel/src/options/resolve-exotel-options';

const root = join(__dirname, '../..');
const credentials = { apiKey: 'k', apiToken: 't', accountSid: 'a' };

/**
 * Defaults written as prose because they are derived from other options rather than fixed; each
 * is checked by resolve-exotel-options.spec.ts instead. Listed here so none is skipped silently.
 */
const DERIVED_DEFAULTS: Record<string, string> = {
  baseUrl: 'https://<subdomain>',
  'calls.statusCallbackUrl': 'webhooks.publicBaseUrl, the status callback route and the first secret',
};

/** Groups that exist only when given: resolved with the least they need, to check their defaults. */
const GIVEN_GROUPS: Record<string, object> = {
  'events.kafka': { events: { kafka: { brokers: ['kafka-1:9092'] } } },
};

function valueAt(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

const resolved = new Map<string, unknown>();

/** The options resolved from the credentials alone, or with the group `path` is in when it must be given. */
function resolvedFor(path: string): unknown {
  const group = Object.keys(GIVEN_GROUPS).find((g) => path === g || path.startsWith(`${g}.`)) ?? '';
  if (!resolved.has(group)) {
    resolved.set(group, resolveExotelOptions({ credentials, ...(group ? GIVEN_GROUPS[group] : {}) }));
  }
  return resolved.get(group);
}

/** Problems of one documented default, compared with `actual`. */
function defaultProblems(option: OptionDoc, actual: () => unknown): string[] {
  if (option.defaultText === undefined) return [];
  const parsed = parseDefault(option.defaultText);
  if (option.path in DERIVED_DEFAULTS) {
    return parsed ? [`${option.path}: listed as derived but @default ${option.defaultText} is a value`] : [];
  }
  if (!parsed)
    return [`${option.path}: @default ${option.defaultText} is neither a value nor listed as derived`];
  if (option.path.includes('[]')) return [`${option.path}: a default inside a list item cannot be checked`];
  const value = actual();
  return JSON.stringify(value) === JSON.stringify(parsed.value)
    ? []
    : [`${option.path}: @default ${option.defaultText} but the schema's default is ${JSON.stringify(value)}`];
}

/** The object literal `setExtras()` receives as the extras' defaults. */
function extrasDefaults(): Record<string, unknown> {
  const file = join(root, EXTRAS_SOURCE);
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'setExtras'
    ) {
      found = node.arguments[0];
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const parsed = found && parseDefault(found.getText(source));
  if (!parsed) throw new Error(`no setExtras({ ...defaults }) call in ${EXTRAS_SOURCE}`);
  return parsed.value as Record<string, unknown>;
}

describe('README options reference', () => {
  const docs = collectOptionDocs(root);

  it('is the section generated from the option types', async () => {
    const expected = await formatMarkdown(renderOptionsReference(docs), root);
    const actual = markedSection(readFileSync(join(root, README), 'utf8'));
    try {
      expect(actual).toBe(expected);
    } catch (error) {
      throw new Error(
        `README options reference is out of date: run ${FIX_COMMAND}\n\n${(error as Error).message}`,
        { cause: error },
      );
    }
  });

  it('describes every option and extra', () => {
    const undocumented = [...docs.options, ...docs.extras]
      .filter((option) => option.description === '')
      .map((option) => `${option.path}: no JSDoc description`);
    expect(undocumented).toEqual([]);
  });

  it("gives each option's default as the schema applies it", () => {
    const problems = docs.options.flatMap((option) => {
      const actual = () => valueAt(resolvedFor(option.path), option.path);
      const found = defaultProblems(option, actual);
      const unstated =
        !option.group &&
        !option.required &&
        option.defaultText === undefined &&
        !option.path.includes('[]') &&
        actual() !== undefined;
      return unstated
        ? [...found, `${option.path}: defaults to ${JSON.stringify(actual())}, no @default`]
        : found;
    });
    expect(problems).toEqual([]);
  });

  it("gives each extra's default as setExtras() applies it", () => {
    const defaults = extrasDefaults();
    const problems = docs.extras.flatMap((extra) => {
      const found = defaultProblems(extra, () => defaults[extra.path]);
      return extra.defaultText === undefined && defaults[extra.path] !== undefined
        ? [...found, `${extra.path}: defaults to ${JSON.stringify(defaults[extra.path])}, no @default`]
        : found;
    });
    expect(problems).toEqual([]);
  });

  it('lists every option the schema resolves', () => {
    const documented = new Map(docs.options.map((option) => [option.path, option]));
    const missing: string[] = [];
    const walk = (value: unknown, prefix: string): void => {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const path = `${prefix}${key}`;
        const option = documented.get(path);
        if (!option) missing.push(`${path}: resolved but not in ExotelModuleOptions`);
        else if (option.group && child && typeof child === 'object' && !Array.isArray(child)) {
          walk(child, `${path}.`);
        }
      }
    };
    walk(resolvedFor(''), '');
    walk(valueAt(resolvedFor('events.kafka'), 'events.kafka'), 'events.kafka.');
    expect(missing).toEqual([]);
  });

  it('lists only derived defaults that exist', () => {
    const paths = new Set(docs.options.map((option) => option.path));
    expect(Object.keys(DERIVED_DEFAULTS).filter((path) => !paths.has(path))).toEqual([]);
  });
});
