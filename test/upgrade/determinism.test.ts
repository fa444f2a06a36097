/**
 * Snapshot hygiene: synthesizing the sample apps twice, and from another working directory, gives
 * byte-identical CloudFormation templates and Terraform JSON (no absolute paths, timestamps or
 * machine-specific values leak into the output). The synth runs with an empty PATH: it must need no
 * terraform binary (cdktf's `DataResource`, for one, shells out to `terraform version` at synth).
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const ROOT = path.join(__dirname, '..', '..');
const run = promisify(execFile);
/** A PATH with no programs on it: no terraform, no gcloud, no kubectl. */
const EMPTY_PATH = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-path-'));

/** Both entry points (cdk.json's and cdktf.json's), synthesized by one process. */
const ENTRIES = ['apps/aws.ts', 'apps/gcp.ts'];

/** Synthesizes every entry point from `cwd` into a fresh directory; returns the template files by relative name. */
async function synth(cwd: string): Promise<Map<string, string>> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'determinism-'));
  const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context ?? {};
  const script = ENTRIES.map((e) => `require(${JSON.stringify(path.join(ROOT, e))});`).join('');
  await run(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script], {
    cwd,
    env: {
      ...process.env, TS_NODE_SWC: 'true', TS_NODE_PROJECT: path.join(ROOT, 'apps', 'tsconfig.json'),
      CDK_OUTDIR: path.join(out, 'cdk.out'), CDKTF_OUTDIR: path.join(out, 'cdktf.out'),
      CDK_CONTEXT_JSON: JSON.stringify(context), CHECKPOINT_DISABLE: '1', PATH: EMPTY_PATH,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.template.json') || e.name === 'cdk.tf.json') {
        files.set(path.relative(out, full), fs.readFileSync(full, 'utf8'));
      }
    }
  };
  walk(out);
  fs.rmSync(out, { recursive: true, force: true });
  return files;
}

describe('the sample apps synthesize deterministically', () => {
  test('twice, and from another working directory: identical output', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'cwd-'));
    const [first, second] = await Promise.all([synth(ROOT), synth(elsewhere)]);
    expect([...first.keys()].some((f) => f.endsWith('.template.json'))).toBe(true);
    expect([...first.keys()].some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
    expect(first.size).toBeGreaterThan(0);
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [file, text] of first) {
      expect({ file, text: second.get(file) }).toEqual({ file, text });
      expect(text).not.toContain(ROOT);
      expect(text).not.toContain(elsewhere);
    }
  });
});
