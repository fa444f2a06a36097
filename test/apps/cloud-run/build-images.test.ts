import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildCommands, main, parseArgs, REPO_ROOT, shellLine, UsageError } from '../../../apps/cloud-run/build-images';
import { DEFAULT_IMAGES_FILE } from '../../../apps/cloud-run/inputs';

/** A runner that records calls and never starts a process. */
function recorder(status = 0) {
  const calls: Array<[string, string[]]> = [];
  return { calls, run: (command: string, args: string[]) => { calls.push([command, args]); return status; } };
}

describe('images:build', () => {
  test('parses the options, with defaults for model, tag and output', () => {
    const opts = parseArgs(['--project', 'my-proj', '--region=europe-west1'], new Date('2026-11-25T17:01:02Z'));
    expect(opts).toEqual({ project: 'my-proj', region: 'europe-west1', model: 'gemma3:270m', tag: '20261125-170102',
      dryRun: false, output: DEFAULT_IMAGES_FILE });
    expect(parseArgs(['--project', 'my-proj', '--region', 'us-central1', '--model', 'gemma3:1b', '--tag', 'v1', '--dry-run']))
      .toMatchObject({ model: 'gemma3:1b', tag: 'v1', dryRun: true });
  });

  test.each([
    [[], '--project is required'],
    [['--project', 'my-proj'], '--region is required'],
    [['--project', 'P', '--region', 'europe-west1'], 'not a project id'],
    [['--project', 'my-proj', '--region', 'europe'], 'not a region'],
    [['--project', 'my-proj', '--region', 'europe-west1', '--model', 'gemma3'], 'not an Ollama tag'],
    [['--project', 'my-proj', '--region', 'europe-west1', '--tag', 'a b'], 'not a Docker tag'],
    [['--project'], '--project needs a value'],
    [['--nope'], 'unknown argument'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  test('one gcloud builds submit per Dockerfile, pushing to the app repository', () => {
    const cmds = buildCommands(parseArgs(['--project', 'my-proj', '--region', 'europe-west1', '--tag', 'v1']));
    expect(cmds.map((c) => c.image)).toEqual([
      'europe-west1-docker.pkg.dev/my-proj/gemma-agent/ollama-gemma3-270m-gpu:v1',
      'europe-west1-docker.pkg.dev/my-proj/gemma-agent/production-adk-agent:v1',
    ]);
    expect(cmds.map((c) => c.dockerfile)).toEqual(['apps/gemma-agent/ollama-backend/Dockerfile', 'apps/gemma-agent/agent/Dockerfile']);
    expect(cmds[0].args).toEqual(['builds', 'submit', 'apps/gemma-agent/ollama-backend', '--project=my-proj',
      '--region=europe-west1', '--config=apps/cloud-run/cloudbuild.yaml',
      '--substitutions=_IMAGE=europe-west1-docker.pkg.dev/my-proj/gemma-agent/ollama-gemma3-270m-gpu:v1,_DOCKERFILE=Dockerfile,_MODEL=gemma3:270m']);
    expect(cmds[1].args[2]).toBe('.');
    expect(fs.existsSync(path.join(REPO_ROOT, 'apps/cloud-run/cloudbuild.yaml'))).toBe(true);
  });

  test('--dry-run prints the commands and the file, runs nothing, writes nothing', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'imgs-')), 'images.json');
    const { calls, run } = recorder();
    const lines: string[] = [];
    const code = main(['--project', 'my-proj', '--region', 'europe-west1', '--tag', 'v1', '--output', out, '--dry-run'],
      run, (l) => lines.push(l));
    expect(code).toBe(0);
    expect(calls).toEqual([]);
    expect(fs.existsSync(out)).toBe(false);
    expect(lines.filter((l) => l.startsWith('$ gcloud builds submit'))).toHaveLength(2);
    expect(lines.join('\n')).toContain('"backendImage": "europe-west1-docker.pkg.dev/my-proj/gemma-agent/ollama-gemma3-270m-gpu:v1"');
  });

  test('a real run calls gcloud twice and writes the images file (runner injected: no gcloud here)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imgs-'));
    const out = path.join(dir, 'images.json');
    const { calls, run } = recorder();
    // The Dockerfiles come with apps/gemma-agent: pretend they exist.
    expect(main(['--project', 'my-proj', '--region', 'europe-west1', '--tag', 'v1', '--output', out], run, () => undefined,
      () => true)).toBe(0);
    expect(calls.map(([c, a]) => [c, a[2]])).toEqual([['gcloud', 'apps/gemma-agent/ollama-backend'], ['gcloud', '.']]);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual({ project: 'my-proj', region: 'europe-west1', model: 'gemma3:270m',
      backendImage: 'europe-west1-docker.pkg.dev/my-proj/gemma-agent/ollama-gemma3-270m-gpu:v1',
      agentImage: 'europe-west1-docker.pkg.dev/my-proj/gemma-agent/production-adk-agent:v1' });
  });

  test('a failed build stops, leaves the file alone and returns its status', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'imgs-')), 'images.json');
    const { calls, run } = recorder(3);
    expect(main(['--project', 'my-proj', '--region', 'europe-west1', '--output', out], run, () => undefined, () => true))
      .toBe(3);
    expect(calls).toHaveLength(1);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('bad usage returns 2; a missing Dockerfile fails a real run before gcloud', () => {
    const { calls, run } = recorder();
    const lines: string[] = [];
    expect(main(['--region', 'x'], run, (l) => lines.push(l))).toBe(2);
    expect(lines[0]).toContain('usage: npm run images:build');
    expect(main(['--project', 'my-proj', '--region', 'europe-west1'], run, (l) => lines.push(l), () => false)).toBe(1);
    expect(lines[lines.length - 1]).toContain('apps/gemma-agent/ollama-backend/Dockerfile does not exist');
    expect(calls).toEqual([]);
  });

  test('shellLine quotes what a shell would split', () => {
    expect(shellLine('gcloud', ['a', 'b c', "it's"])).toBe(`gcloud a 'b c' 'it'\\''s'`);
  });
});
