/**
 * Every symbol a package entry point exports has a doc comment (they become API.md), and so does every
 * public member that the library itself declares on an exported class, interface or enum.
 */
import * as path from 'path';
import * as ts from 'typescript';
import { ENTRY_POINTS } from '../docs/entry-points';

const ROOT = path.join(__dirname, '..', '..');
const LIB = path.join(ROOT, 'lib') + path.sep;

const programs = new Map<string, ts.Program>();
function program(files: string[]): ts.Program {
  const key = files.join('\n');
  if (!programs.has(key)) programs.set(key, createProgram(files));
  return programs.get(key)!;
}

function createProgram(files: string[]): ts.Program {
  const parsed = ts.parseJsonConfigFileContent(
    ts.readConfigFile(path.join(ROOT, 'tsconfig.dev.json'), ts.sys.readFile).config, ts.sys, ROOT);
  return ts.createProgram(files, { ...parsed.options, noEmit: true });
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
export function exportedNames(entryFiles: Record<string, string>): Record<string, string[]> {
  const p = program(Object.values(entryFiles).map((f) => path.join(ROOT, f)));
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
export function undocumented(entryFiles: Record<string, string>): string[] {
  const files = Object.values(entryFiles).map((f) => path.join(ROOT, f));
  const p = program(files);
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

describe('doc comments', () => {
  test('every exported symbol and public member of every entry point is documented', () => {
    expect(undocumented(ENTRY_POINTS)).toEqual([]);
  });

  test('API.md is current: it documents every exported symbol (regenerate with `npm run docs`)', () => {
    const fs = require('fs') as typeof import('fs');
    const api = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8');
    const missing: string[] = [];
    for (const [entry, names] of Object.entries(exportedNames(ENTRY_POINTS))) {
      const start = api.indexOf(`## \`${entry}\``);
      const next = api.indexOf('\n## ', start + 1);
      const section = start < 0 ? '' : api.slice(start, next < 0 ? undefined : next);
      for (const name of names) if (!section.includes(`\`${name}\``)) missing.push(`${entry}: ${name}`);
    }
    expect(missing).toEqual([]);
  });

  test('the check finds an undocumented export', () => {
    const fs = require('fs') as typeof import('fs');
    const dir = fs.mkdtempSync(path.join(ROOT, 'lib', '.doc-check-'));
    try {
      fs.writeFileSync(path.join(dir, 'index.ts'),
        '/** Documented. */\nexport class Good {\n  /** Documented. */\n  public readonly a = 1;\n  public readonly b = 2;\n}\nexport const bad = 1;\n');
      expect(undocumented({ probe: path.relative(ROOT, path.join(dir, 'index.ts')) })).toEqual(['probe: Good.b', 'probe: bad']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
