/**
 * The public API surface, checked with one TypeScript program (parsing the toolkits' declarations once):
 * - every ```ts block of README.md compiles against the library as a user imports it
 *   (`cdk-gpu-inference`, `cdk-gpu-inference/aws`, ...), with the project's compiler options;
 * - every symbol a package entry point exports has a doc comment, and so does every public member the
 *   library declares on an exported class, interface or enum (they become API.md);
 * - API.md documents every exported symbol.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { ENTRY_POINTS } from '../docs/entry-points';
import { diagnosticsOf, projectProgram, ROOT } from '../support/ts-program';

const LIB = path.join(ROOT, 'lib') + path.sep;

/** The ```ts code blocks of a Markdown text. */
function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]);
}

/** README examples as in-memory files. */
function exampleFiles(blocks: string[], dir = '__readme__'): Map<string, string> {
  return new Map(blocks.map((b, i) => [path.join(ROOT, dir, `example-${i + 1}.ts`), b]));
}

function hasDoc(symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim().length > 0;
}

function declaredInLib(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((d) => path.resolve(d.getSourceFile().fileName).startsWith(LIB));
}

function isPublic(symbol: ts.Symbol): boolean {
  const decl = symbol.declarations?.[0];
  if (!decl || symbol.name.startsWith('_') || symbol.name.startsWith('#')) return false;
  const flags = ts.getCombinedModifierFlags(decl as ts.Declaration);
  // eslint-disable-next-line no-bitwise
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0 &&
    decl.kind !== ts.SyntaxKind.Constructor;
}

/** The names each entry point exports (declared in lib/). */
function exportedNames(p: ts.Program, entryFiles: Record<string, string>): Record<string, string[]> {
  const checker = p.getTypeChecker();
  const out: Record<string, string[]> = {};
  for (const [entry, file] of Object.entries(entryFiles)) {
    const source = p.getSourceFile(path.join(ROOT, file));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    out[entry] = moduleSymbol ? checker.getExportsOfModule(moduleSymbol).map((s) => s.name).sort() : [];
  }
  return out;
}

/** Exported symbols (and their public members) that lack a doc comment, as `entry: Name[.member]`. */
function undocumented(p: ts.Program, entryFiles: Record<string, string>): string[] {
  const checker = p.getTypeChecker();
  const missing = new Set<string>();
  for (const [entry, file] of Object.entries(entryFiles)) {
    const source = p.getSourceFile(path.join(ROOT, file));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!declaredInLib(symbol)) continue;
      if (!hasDoc(symbol, checker)) missing.add(`${entry}: ${exported.name}`);
      const members: ts.Symbol[] = [];
      if (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.Enum)) {
        symbol.members?.forEach((m) => members.push(m));
        symbol.exports?.forEach((m) => members.push(m)); // statics and enum members
      }
      for (const m of members) {
        if (m.name === 'prototype' || !isPublic(m) || !declaredInLib(m)) continue;
        if (!hasDoc(m, checker)) missing.add(`${entry}: ${exported.name}.${m.name}`);
      }
    }
  }
  return [...missing].sort();
}

const EXAMPLES = exampleFiles(tsBlocks(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')));
const ENTRY_FILES = Object.values(ENTRY_POINTS).map((f) => path.join(ROOT, f));
const program = () => projectProgram(ENTRY_FILES, EXAMPLES);

describe('README examples', () => {
  test('there is an example for every entry point', () => {
    const text = [...EXAMPLES.values()].join('\n');
    for (const entry of Object.keys(ENTRY_POINTS)) expect(text).toContain(`from '${entry}'`);
  });

  test('every example compiles', () => {
    expect(diagnosticsOf(program(), EXAMPLES.keys())).toEqual([]);
  });

  test('the check reports a broken example', () => {
    const broken = exampleFiles(["import { NoSuchThing } from 'cdk-gpu-inference';\nNoSuchThing;\n"], '__broken__');
    expect(diagnosticsOf(projectProgram([], broken), broken.keys()))
      .toEqual([expect.stringContaining("has no exported member 'NoSuchThing'")]);
  });
});

describe('doc comments', () => {
  test('every exported symbol and public member of every entry point is documented', () => {
    expect(undocumented(program(), ENTRY_POINTS)).toEqual([]);
  });

  test('API.md is current: it documents every exported symbol (regenerate with `npm run docs`)', () => {
    const api = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8');
    const missing: string[] = [];
    for (const [entry, names] of Object.entries(exportedNames(program(), ENTRY_POINTS))) {
      const start = api.indexOf(`## \`${entry}\``);
      const next = api.indexOf('\n## ', start + 1);
      const section = start < 0 ? '' : api.slice(start, next < 0 ? undefined : next);
      for (const name of names) if (!section.includes(`\`${name}\``)) missing.push(`${entry}: ${name}`);
    }
    expect(missing).toEqual([]);
  });

  test('the check finds an undocumented export', () => {
    const probe = path.join(ROOT, 'lib', '__probe__', 'index.ts');
    const files = new Map([[probe,
      '/** Documented. */\nexport class Good {\n  /** Documented. */\n  public readonly a = 1;\n  public readonly b = 2;\n}\nexport const bad = 1;\n']]);
    expect(undocumented(projectProgram([], files), { probe: path.relative(ROOT, probe) })).toEqual(['probe: Good.b', 'probe: bad']);
  });
});
