/**
 * Transpiles lib/, apps/ and the bench floor to JavaScript with SWC (as the published package ships
 * compiled JavaScript), into a git-ignored folder inside the repository so node_modules resolves.
 * The benchmark then times what a user's `cdk synth` / `cdktf synth` runs, without ts-node.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** Transpiles every .ts file under `dirs` into `outDir` (same relative layout); returns `outDir`. */
export function compileForBench(outDir: string, dirs: string[] = ['lib', 'apps', 'test/bench']): string {
  const swc = require('@swc/core') as typeof import('@swc/core');
  fs.rmSync(outDir, { recursive: true, force: true });
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== '__snapshots__') walk(r);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const { code } = swc.transformFileSync(path.join(ROOT, r), {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
          sourceMaps: false, swcrc: false,
        });
        const out = path.join(outDir, r.replace(/\.ts$/, '.js'));
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, code);
      } else if (e.name.endsWith('.json') || e.name.endsWith('.js')) {
        const out = path.join(outDir, r);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.copyFileSync(path.join(ROOT, r), out);
      }
    }
  };
  dirs.forEach(walk);
  return outDir;
}
