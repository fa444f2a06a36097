/**
 * One TypeScript program over the project's compiler options (tsconfig.dev.json), with optional
 * in-memory files. Building a program parses every declaration file it reaches (aws-cdk-lib, the
 * providers), so tests share one per set of roots.
 */
import * as path from 'path';
import * as ts from 'typescript';

/** Repository root. */
export const ROOT = path.join(__dirname, '..', '..');

const cache = new Map<string, ts.Program>();

/** A program with `roots` (absolute paths) and `virtual` files (absolute path → text) as its root files. */
export function projectProgram(roots: string[], virtual: Map<string, string> = new Map()): ts.Program {
  const key = [...roots, ...[...virtual].map(([f, t]) => `${f}\0${t}`)].join('\n');
  const cached = cache.get(key);
  if (cached) return cached;
  const parsed = ts.parseJsonConfigFileContent(
    ts.readConfigFile(path.join(ROOT, 'tsconfig.dev.json'), ts.sys.readFile).config, ts.sys, ROOT);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists(f);
  host.readFile = (f) => virtual.get(f) ?? readFile(f);
  host.getSourceFile = (f, lang, ...rest) => virtual.has(f)
    ? ts.createSourceFile(f, virtual.get(f)!, lang)
    : getSourceFile(f, lang, ...rest);
  const program = ts.createProgram([...roots, ...virtual.keys()], options, host);
  cache.set(key, program);
  return program;
}

/** Syntactic and semantic diagnostics of `files` only (each as `basename: message`). */
export function diagnosticsOf(program: ts.Program, files: Iterable<string>): string[] {
  return [...files].flatMap((f) => {
    const source = program.getSourceFile(f)!;
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  }).map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}
