import { javascript, typescript } from 'projen';

/**
 * cdk-gpu-inference is managed by projen: edit this file, then run `npx projen` to regenerate
 * package.json, tsconfig*.json, .gitignore, .npmignore and the task definitions.
 *
 * Pins follow ../shared/ARCHITECTURE.md §2 (verified on Node 20.20 / npm 11).
 */

// Library-facing versions: the peers a user installs, pinned exactly here for our own builds.
const AWS_CDK_LIB = '2.276.0';
const AWS_CDK_CLI = '2.1148.1';
const CONSTRUCTS = '10.7.2'; // >=10.6 <10.8 keeps the later move to CDK Terrain (cdktn) open
const CDKTF = '0.21.0';
const PROVIDER_GOOGLE = '16.12.1';
const PROVIDER_KUBERNETES = '12.1.1';
const PROVIDER_HELM = '12.1.2';
const MIKRO_ORM = '6.6.16'; // @mikro-orm/knex 6.6.17 is missing from the registry: pin the family

const project = new typescript.TypeScriptProject({
  name: 'cdk-gpu-inference',
  description:
    'Constructs that deploy GPU-backed LLM agent systems with autoscaling: AWS Lambda Managed Instances, ' +
    'Cloud Run GPU, GKE and Kubernetes inference autoscaling, from one cloud-neutral model-serving spec.',
  license: 'Apache-2.0',
  authorName: 'cdk-gpu-inference maintainers',
  repository: 'https://github.com/cdk-gpu-inference/cdk-gpu-inference.git',
  keywords: ['aws-cdk', 'cdktf', 'gpu', 'llm', 'inference', 'autoscaling', 'gemma', 'lambda', 'cloud-run', 'gke'],
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',
  typescriptVersion: '~5.9.3',
  srcdir: 'lib',
  libdir: 'lib',
  testdir: 'test',
  tsconfigDevFile: 'tsconfig.dev.json',
  sampleCode: false,
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  mergify: false,
  // An equivalent test (test/architecture/imports.test.ts) enforces the import rules; a type-aware
  // eslint run costs more CI time on two cores than the whole unit suite.
  eslint: false,
  prettier: false,
  jest: true,
  jestOptions: {
    jestVersion: '^30',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    junitReporting: false,
    coverage: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/cdktf.out/'],
      moduleNameMapper: {
        '^cdk-gpu-inference$': '<rootDir>/lib/index.ts',
        '^cdk-gpu-inference/(.*)$': '<rootDir>/lib/$1/index.ts',
        // @google/adk's CommonJS build require()s the ES module lodash-es; Node >= 20.19 loads it, Jest's
        // module runtime does not: give Jest the same functions from lodash (CommonJS).
        '^lodash-es$': 'lodash',
      },
      testEnvironment: 'node',
      collectCoverage: false,
      maxWorkers: 2,
      testTimeout: 60_000,
    },
  },
  tsconfig: {
    compilerOptions: {
      target: 'ES2022',
      lib: ['es2022'],
      module: 'commonjs',
      skipLibCheck: true,
      esModuleInterop: true,
      resolveJsonModule: true,
    },
  },
  tsconfigDev: {
    compilerOptions: {
      noEmit: true,
      paths: {
        'cdk-gpu-inference': ['./lib/index.ts'],
        'cdk-gpu-inference/*': ['./lib/*/index.ts'],
      },
    },
    include: ['apps/**/*.ts'],
  },
  peerDependencyOptions: { pinnedDevDependency: false },
  peerDeps: [
    `constructs@^10.5.0`,
    `aws-cdk-lib@^${AWS_CDK_LIB}`,
    `cdktf@^${CDKTF}`,
    `@cdktf/provider-google@^${PROVIDER_GOOGLE}`,
    `@cdktf/provider-kubernetes@^${PROVIDER_KUBERNETES}`,
    `@cdktf/provider-helm@^${PROVIDER_HELM}`,
    '@aws-cdk/cloudformation-diff@^2.187.5',
  ],
  devDeps: [
    `constructs@${CONSTRUCTS}`,
    `aws-cdk-lib@${AWS_CDK_LIB}`,
    `aws-cdk@${AWS_CDK_CLI}`,
    `cdktf@${CDKTF}`,
    `cdktf-cli@${CDKTF}`,
    `@cdktf/provider-google@${PROVIDER_GOOGLE}`,
    `@cdktf/provider-kubernetes@${PROVIDER_KUBERNETES}`,
    `@cdktf/provider-helm@${PROVIDER_HELM}`,
    'cdk-nag@3.0.2',
    'fast-check@^4',
    '@swc/core@1.16.22',
    '@swc/jest@^0.2.39',
    'ts-node@10.9.2',
    '@types/node@^20',
    // Upgrade guard and API reference.
    '@aws-cdk/cloudformation-diff@2.187.5',
    'typedoc@0.28.20',
    // The Gemma agent workload (apps/gemma-agent): ADK, auth, session stores.
    '@google/adk@2.0.0',
    '@google/adk-devtools@2.0.0',
    '@google/genai',
    'google-auth-library@^10.3.0',
    `@mikro-orm/core@${MIKRO_ORM}`,
    `@mikro-orm/postgresql@${MIKRO_ORM}`,
    `@mikro-orm/sqlite@${MIKRO_ORM}`,
    'lodash@^4.17.21', // Jest's stand-in for lodash-es (see moduleNameMapper)
    'pg@^8.16.0',
    '@types/pg',
    // Kubernetes manifest validation: upstream schemas (CommonJS majors, Node 20) and a strict validator.
    'kubernetes-models@4.5.1',
    '@kubernetes-models/keda@0.4.2',
    '@kubernetes-models/argo-rollouts@0.3.2',
    '@kubernetes-models/istio@2.3.0',
    '@kubernetes-models/knative@2.4.4',
    '@kubernetes-models/gateway-api@0.5.1',
    'ajv@^8.17.1',
    'ajv-formats@^3.0.1',
  ],
});

// Optional peers: an AWS-only user installs no cdktf package, a GCP/Kubernetes-only user no aws-cdk-lib.
project.package.addField('peerDependenciesMeta', {
  'aws-cdk-lib': { optional: true },
  'cdktf': { optional: true },
  '@cdktf/provider-google': { optional: true },
  '@cdktf/provider-kubernetes': { optional: true },
  '@cdktf/provider-helm': { optional: true },
  '@aws-cdk/cloudformation-diff': { optional: true }, // only cdk-gpu-inference/testing uses it
});

// Package entry points: core, and one per cloud adapter.
const entry = (dir: string) => ({
  types: `./lib/${dir}index.d.ts`,
  default: `./lib/${dir}index.js`,
});
project.package.addField('exports', {
  '.': entry(''),
  './aws': entry('aws/'),
  './gcp': entry('gcp/'),
  './k8s': entry('k8s/'),
  './testing': entry('testing/'),
  './package.json': './package.json',
});
project.package.addField('overrides', {
  '@mikro-orm/core': MIKRO_ORM,
  '@mikro-orm/knex': MIKRO_ORM,
  '@mikro-orm/postgresql': MIKRO_ORM,
  '@mikro-orm/sqlite': MIKRO_ORM,
  '@mikro-orm/reflection': MIKRO_ORM,
});

// npm 11 runs no dependency install script unless approved: these are reviewed.
//  - sqlite3 builds its native binding from source (offline, ~80 s) for the SQLite session store;
//  - @swc/core checks its platform binary; esbuild (ADK devtools) links its platform binary.
// cdktf-cli's node-pty and @parcel/watcher are not needed by `cdktf synth`; protobufjs and @google/genai
// only print or check versions: all stay denied.
project.package.addField('allowScripts', {
  'sqlite3': true,
  '@swc/core': true,
  'esbuild': true,
  '@cdktf/node-pty-prebuilt-multiarch': false,
  '@parcel/watcher': false,
  // Version-check and no-op scripts, not needed.
  'protobufjs': false,
  '@google/genai': false,
});

// Jest: SWC transpiles (fast); type-checking is its own step (`typecheck`) inside `npm test`.
project.jest!.config.transform = { '^.+\\.tsx?$': ['@swc/jest', {}] };
delete project.jest!.config.preset;
delete project.jest!.config.globals;

// Compiled output lives beside its source in lib/ (srcdir = libdir): never commit it.
project.gitignore.exclude('apps/cloud-run/images.json', '.adk/', 'lib/**/*.js', 'lib/**/*.d.ts', '!lib/**/*.schema.json', 'cdk.out/', 'cdktf.out/', '.gen/',
  'bench-results/', 'load-test-results/', '*.tsbuildinfo');
project.npmignore?.exclude('apps/', 'test/', 'cdk.out/', 'cdktf.out/', '.ci/', 'tsconfig.dev.json', 'cdk.json',
  'cdktf.json', 'bench-results/');
project.npmignore?.include('lib/**/*.js', 'lib/**/*.d.ts');

// ---- tasks ------------------------------------------------------------------------------------------
const env = { CHECKPOINT_DISABLE: '1', CDK_DISABLE_VERSION_CHECK: 'true', CDK_CLI_NOTICES: 'false' };

const typecheck = project.addTask('typecheck', {
  description: 'Type-check lib/, apps/ and test/ without emitting',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});

project.testTask.reset();
project.testTask.spawn(typecheck);
project.testTask.exec('jest --ci', { receiveArgs: true, env });

project.removeTask('test:update');
project.addTask('test:update', {
  description: 'Deliberately update committed snapshots (review the diff before committing)',
  exec: 'jest --ci=false --updateSnapshot',
  receiveArgs: true,
  env,
});

const synthAws = project.addTask('synth:aws', {
  description: 'Synthesize the AWS CDK sample apps into cdk.out/ (no credentials, no network)',
  exec: 'cdk synth --quiet --no-notices --no-version-reporting --ci',
  env,
});
const synthGcp = project.addTask('synth:cdktf', {
  description: 'Synthesize the cdktf sample apps into cdktf.out/ (no credentials, no terraform binary)',
  exec: 'cdktf synth',
  env: { ...env, DISABLE_VERSION_CHECK: 'true' },
});
const synth = project.addTask('synth', { description: 'Synthesize every sample app' });
synth.exec('rm -rf cdk.out cdktf.out'); // no stale templates of renamed or removed stacks
synth.spawn(synthAws);
synth.spawn(synthGcp);

project.addTask('docs', {
  description: 'Generate API.md from the doc comments of every entry point (TypeDoc)',
  exec: 'ts-node --swc test/docs/generate-api-md.ts',
});

project.addTask('images:build', {
  description: 'Build and push the Cloud Run sample images with Cloud Build (--project P --region R [--dry-run])',
  exec: 'ts-node --swc --project apps/tsconfig.json apps/cloud-run/build-images.ts',
  receiveArgs: true,
});

project.addTask('aws:images', {
  description: 'Build and push the AWS sample images (model: Ollama + Lambda Web Adapter; agent) to ECR',
  exec: 'bash apps/aws-managed-instances/build-images.sh',
  receiveArgs: true,
});

project.addTask('agent:dev', {
  description: 'Run the Gemma agent locally against OLLAMA_API_BASE (e.g. a local `ollama serve`)',
  exec: 'ts-node --swc apps/gemma-agent/agent/main.ts',
});

project.addTask('load-test', {
  description: 'Load-test a running agent: --url URL --users N --spawn-rate R --duration 50s',
  exec: 'ts-node --swc apps/gemma-agent/load-test/main.ts',
  receiveArgs: true,
});

project.addTask('bench', {
  description: 'Print benchmark figures (synth time per app next to its floor)',
  exec: 'ts-node --swc test/bench/run.ts',
  receiveArgs: true,
  env,
});

project.synth();
