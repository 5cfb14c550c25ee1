/**
 * Reads the `ExotelModule` options and `forRoot` extras from their interfaces with TypeScript's
 * compiler API: each property's dotted path, type as written, JSDoc text and `@default`. The
 * README's options reference (scripts/options-reference.ts) and its drift test are built on it.
 */
import { join } from 'node:path';
import * as ts from 'typescript';

/** One documented option (or group of options), as found in the interfaces. */
export interface OptionDoc {
  /** Dotted path from the options root; `[]` marks the items of a list, e.g. `a.list[].id`. */
  readonly path: string;
  /** The type as written, aliases of small types resolved; `object` for a group. */
  readonly type: string;
  /** Text of the `@default` tag. */
  readonly defaultText?: string;
  /** Written without `?`: it must be given (whenever its group is). */
  readonly required: boolean;
  /** The JSDoc text on one line. */
  readonly description: string;
  /** Whether nested options are listed under it. */
  readonly group: boolean;
}

/** Where the options and the `forRoot` extras are declared. */
export const OPTIONS_SOURCE = 'libs/exotel/src/options/exotel-module-options.interface.ts';
export const EXTRAS_SOURCE = 'libs/exotel/src/exotel.module-definition.ts';

// A resolved alias or interface is printed in place of its name only when it stays this short.
const INLINE_TYPE_LIMIT = 70;

/** Reads the options (`ExotelModuleOptions`) and the `forRoot` extras (`ExotelModuleExtras`). */
export function collectOptionDocs(root = process.cwd()): { options: OptionDoc[]; extras: OptionDoc[] } {
  const optionsFile = join(root, OPTIONS_SOURCE);
  const extrasFile = join(root, EXTRAS_SOURCE);
  const program = ts.createProgram([optionsFile, extrasFile], {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.Node20,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const walker = new OptionsWalker(program.getTypeChecker());
  const find = (file: string, name: string) => {
    const declaration = program
      .getSourceFile(file)
      ?.statements.find(
        (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
      );
    if (!declaration) throw new Error(`${name} is not declared in ${file}`);
    return declaration;
  };
  return {
    options: walker.walk(find(optionsFile, 'ExotelModuleOptions').members, ''),
    extras: walker.walk(find(extrasFile, 'ExotelModuleExtras').members, ''),
  };
}

class OptionsWalker {
  constructor(private readonly checker: ts.TypeChecker) {}

  walk(members: readonly ts.TypeElement[], prefix: string): OptionDoc[] {
    return members.filter(ts.isPropertySignature).flatMap((member) => {
      const path = `${prefix}${member.name.getText()}`;
      const doc = jsDocOf(member);
      const nested = member.type && this.nestedMembers(member.type);
      const row: OptionDoc = {
        path,
        type: nested
          ? nested.list
            ? 'object[]'
            : 'object'
          : member.type
            ? this.render(member.type)
            : 'unknown',
        defaultText: doc.defaultText,
        required: !member.questionToken,
        description: doc.description,
        group: nested !== undefined,
      };
      return nested ? [row, ...this.walk(nested.members, `${path}${nested.list ? '[]' : ''}.`)] : [row];
    });
  }

  /** The members of an object type written inline or named (an interface of this project), if any. */
  private nestedMembers(node: ts.TypeNode): { members: ts.TypeElement[]; list: boolean } | undefined {
    if (ts.isParenthesizedTypeNode(node)) return this.nestedMembers(node.type);
    if (ts.isTypeLiteralNode(node)) return { members: [...node.members], list: false };
    if (ts.isArrayTypeNode(node)) {
      const items = this.nestedMembers(node.elementType);
      return items && !items.list ? { members: items.members, list: true } : undefined;
    }
    if (ts.isIntersectionTypeNode(node)) {
      const parts = node.types.map((part) => this.nestedMembers(part));
      if (parts.some((part) => !part || part.list)) return undefined;
      return { members: parts.flatMap((part) => part!.members), list: false };
    }
    const declaration = ts.isTypeReferenceNode(node) ? this.projectDeclaration(node) : undefined;
    if (declaration && ts.isInterfaceDeclaration(declaration))
      return { members: [...declaration.members], list: false };
    if (declaration && ts.isTypeAliasDeclaration(declaration)) return this.nestedMembers(declaration.type);
    return undefined;
  }

  /** The interface or type alias a reference names, when it is declared in this project's sources. */
  private projectDeclaration(node: ts.TypeReferenceNode): ts.Declaration | undefined {
    let symbol = this.checker.getSymbolAtLocation(node.typeName);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declaration = symbol?.declarations?.[0];
    if (!declaration || declaration.getSourceFile().fileName.includes('/node_modules/')) return undefined;
    return ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration)
      ? declaration
      : undefined;
  }

  /** The type as written, on one line, with short aliases and interfaces of this project spelled out. */
  render(node: ts.TypeNode): string {
    if (ts.isParenthesizedTypeNode(node)) return `(${this.render(node.type)})`;
    if (ts.isUnionTypeNode(node)) return node.types.map((part) => this.render(part)).join(' | ');
    if (ts.isIntersectionTypeNode(node)) return node.types.map((part) => this.render(part)).join(' & ');
    if (ts.isArrayTypeNode(node)) {
      const items = this.render(node.elementType);
      return ts.isUnionTypeNode(node.elementType) ? `(${items})[]` : `${items}[]`;
    }
    if (ts.isTypeLiteralNode(node)) return this.renderMembers(node.members);
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) {
      return this.render(node.type);
    }
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText();
      const declaration = this.projectDeclaration(node);
      const spelled =
        declaration && ts.isTypeAliasDeclaration(declaration)
          ? this.render(declaration.type)
          : declaration && ts.isInterfaceDeclaration(declaration)
            ? this.renderMembers(declaration.members)
            : undefined;
      if (spelled !== undefined && spelled.length <= INLINE_TYPE_LIMIT) return spelled;
      const args = node.typeArguments?.map((arg) => this.render(arg));
      return args ? `${name}<${args.join(', ')}>` : name;
    }
    return node.getText().replace(/\s+/g, ' ');
  }

  private renderMembers(members: ts.NodeArray<ts.TypeElement>): string {
    const fields = members.filter(ts.isPropertySignature).map((member) => {
      const type = member.type ? this.render(member.type) : 'unknown';
      return `${member.name.getText()}${member.questionToken ? '?' : ''}: ${type}`;
    });
    return `{ ${fields.join('; ')} }`;
  }
}

/** The description (on one line) and the `@default` text of a property's JSDoc. */
function jsDocOf(member: ts.PropertySignature): { description: string; defaultText?: string } {
  const doc = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc).at(-1);
  const oneLine = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
  const tag = doc?.tags?.find((t) => t.tagName.text === 'default');
  return {
    description: oneLine(ts.getTextOfJSDocComment(doc?.comment)),
    defaultText: tag ? oneLine(ts.getTextOfJSDocComment(tag.comment)) : undefined,
  };
}

/**
 * The value of a `@default` written as a TypeScript literal (`5000`, `'exotel'`, `['a', 'b']`,
 * `{}`, `true`, `undefined`), optionally followed by a note in parentheses (`21600000 (6 h)`);
 * `undefined` when the default is prose (e.g. derived from another option).
 */
export function parseDefault(text: string): { value: unknown; note?: string } | undefined {
  const attempts: [string, string | undefined][] = [[text, undefined]];
  const noted = /^(.*?)\s+\((.+)\)$/s.exec(text);
  if (noted) attempts.push([noted[1], noted[2]]);
  for (const [literal, note] of attempts) {
    const file = ts.createSourceFile('default.ts', `(${literal});`, ts.ScriptTarget.Latest, true);
    const statement = file.statements[0];
    if (
      file.statements.length === 1 &&
      ts.isExpressionStatement(statement) &&
      ts.isParenthesizedExpression(statement.expression) &&
      statement.expression.expression.getText(file) === literal.trim()
    ) {
      const value = literalValue(statement.expression.expression);
      if (value.ok) return { value: value.value, note };
    }
  }
  return undefined;
}

function literalValue(node: ts.Expression): { ok: true; value: unknown } | { ok: false } {
  const ok = (value: unknown) => ({ ok: true as const, value });
  if (ts.isNumericLiteral(node)) return ok(Number(node.text));
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
    const operand = literalValue(node.operand);
    return operand.ok && typeof operand.value === 'number' ? ok(-operand.value) : { ok: false };
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return ok(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return ok(true);
  if (node.kind === ts.SyntaxKind.FalseKeyword) return ok(false);
  if (node.kind === ts.SyntaxKind.NullKeyword) return ok(null);
  if (ts.isIdentifier(node) && node.text === 'undefined') return ok(undefined);
  if (ts.isArrayLiteralExpression(node)) {
    const items = node.elements.map(literalValue);
    return items.every((item) => item.ok) ? ok(items.map((item) => item.ok && item.value)) : { ok: false };
  }
  if (ts.isObjectLiteralExpression(node)) {
    const entries: [string, unknown][] = [];
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property)) return { ok: false };
      const value = literalValue(property.initializer);
      if (!value.ok) return { ok: false };
      entries.push([property.name.getText().replace(/^['"]|['"]$/g, ''), value.value]);
    }
    return ok(Object.fromEntries(entries));
  }
  return { ok: false };
}
