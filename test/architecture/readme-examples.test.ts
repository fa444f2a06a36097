/**
 * Every ```ts block of README.md compiles against the library as a user would import it
 * (`cdk-gpu-inference`, `cdk-gpu-inference/aws`, ...), with the project's compiler options.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** The ```ts code blocks of a Markdown text. */
export function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]);
}

function compile(blocks: string[]): string[] {
  const configPath = path.join(ROOT, 'tsconfig.dev.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, ROOT);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false };
  const files = new Map(blocks.map((b, i) => [path.join(ROOT, '__readme__', `example-${i + 1}.ts`), b]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  host.getSourceFile = (f, lang, ...rest) => files.has(f)
    ? ts.createSourceFile(f, files.get(f)!, lang)
    : getSourceFile(f, lang, ...rest);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.has(d.file.fileName))
    .map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('README examples', () => {
  const blocks = tsBlocks(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));

  test('there is an example for the core entry point', () => {
    expect(blocks.some((b) => b.includes("from 'cdk-gpu-inference'"))).toBe(true);
  });

  test('every example compiles', () => {
    expect(compile(blocks)).toEqual([]);
  });

  test('the check reports a broken example', () => {
    expect(compile(["import { NoSuchThing } from 'cdk-gpu-inference';\nNoSuchThing;\n"]))
      .toEqual([expect.stringContaining("has no exported member 'NoSuchThing'")]);
  });
});
