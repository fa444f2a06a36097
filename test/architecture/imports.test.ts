/**
 * Module-boundary rules (../shared/ARCHITECTURE.md §1), enforced as tests instead of an eslint run:
 * - provider classes are imported by deep path, never by package root (the root costs ~2.5 s per process);
 * - the core (`cdk-gpu-inference`) and `cdk-gpu-inference/aws` load no cdktf module, at run time;
 * - only lib/tf imports the `cdktf` package root, and the core imports neither aws-cdk-lib nor cdktf.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...tsFiles(rel));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(rel);
    }
  }
  return out;
}

/** Every module specifier a file imports or requires. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const specs: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) specs.push(m[1] ?? m[2] ?? m[3]);
  return specs;
}

const SOURCES = [...tsFiles('lib'), ...tsFiles('apps'), ...tsFiles('test')];

describe('import rules', () => {
  test('no @cdktf/provider-* package-root import anywhere', () => {
    const offenders = SOURCES.flatMap((f) => importsOf(f)
      .filter((s) => /^@cdktf\/provider-[a-z-]+$/.test(s)).map((s) => `${f}: ${s}`));
    expect(offenders).toEqual([]);
  });

  test('the rule itself catches a root import', () => {
    const re = /^@cdktf\/provider-[a-z-]+$/;
    expect(re.test('@cdktf/provider-google')).toBe(true);
    expect(re.test('@cdktf/provider-google/lib/cloud-run-v2-service')).toBe(false);
  });

  test('lib/core imports neither aws-cdk-lib nor cdktf nor constructs', () => {
    const offenders = tsFiles('lib/core').concat('lib/index.ts').flatMap((f) => importsOf(f)
      .filter((s) => /^(aws-cdk-lib|cdktf|constructs|@cdktf\/)/.test(s)).map((s) => `${f}: ${s}`));
    expect(offenders).toEqual([]);
  });

  test('lib/aws imports nothing from cdktf, lib/tf, lib/gcp or lib/k8s', () => {
    const offenders = tsFiles('lib/aws').flatMap((f) => importsOf(f)
      .filter((s) => /^(cdktf|@cdktf\/)|\/(tf|gcp|k8s)(\/|$)/.test(s)).map((s) => `${f}: ${s}`));
    expect(offenders).toEqual([]);
  });

  test('only lib/tf imports the cdktf package root', () => {
    const offenders = tsFiles('lib').filter((f) => !f.startsWith(path.join('lib', 'tf')))
      .flatMap((f) => importsOf(f).filter((s) => s === 'cdktf').map((s) => `${f}: ${s}`));
    expect(offenders).toEqual([]);
  });
});

describe('entry points at run time', () => {
  /** Loads `entry` in a fresh Node process and lists every loaded module under node_modules/<pkg>. */
  function loadedPackages(entry: string): string[] {
    const script = `
      require(${JSON.stringify(path.join(ROOT, entry))});
      const pkgs = new Set();
      for (const k of Object.keys(require.cache)) {
        const m = k.match(/node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/);
        if (m) pkgs.add(m[1].replace(/\\\\/g, '/'));
      }
      process.stdout.write(JSON.stringify([...pkgs].sort()));`;
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: ROOT, env: { ...process.env, TS_NODE_SWC: 'true', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json') },
      encoding: 'utf8',
    });
    return JSON.parse(out) as string[];
  }

  test.each(['lib/index.ts', 'lib/aws/index.ts'])('%s loads no cdktf module', (entry) => {
    const pkgs = loadedPackages(entry);
    expect(pkgs.filter((p) => p === 'cdktf' || p.startsWith('@cdktf/'))).toEqual([]);
  });

  test('the check sees cdktf when an entry does load it', () => {
    expect(loadedPackages('lib/gcp/index.ts')).toContain('cdktf');
  });
});
