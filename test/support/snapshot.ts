/**
 * The one way tests snapshot synthesized output: `expectSynthSnapshot(stack)`. It normalizes the
 * template (asset hashes and the working directory blanked, keys in stable order) and matches it against the committed snapshot.
 * The upgrade guard hooks in here, so every construct and app snapshot is guarded the same way.
 */
import type { Stack } from 'aws-cdk-lib';
import type { TerraformStack } from 'cdktf';

const ASSET_HASH = /[a-f0-9]{64}/g;

/** True for a cdktf TerraformStack (duck-typed, so neither toolkit is loaded for the other). */
export function isTerraformStack(x: unknown): x is TerraformStack {
  return typeof (x as TerraformStack)?.toTerraform === 'function';
}

/** The synthesized document of `stack` (CloudFormation template or Terraform JSON), normalized. */
export function synthesizeNormalized(stack: Stack | TerraformStack): Record<string, unknown> {
  let doc: Record<string, unknown>;
  if (isTerraformStack(stack)) {
    const { Testing } = require('cdktf') as typeof import('cdktf');
    doc = JSON.parse(Testing.synth(stack));
  } else {
    const { Template } = require('aws-cdk-lib/assertions') as typeof import('aws-cdk-lib/assertions');
    doc = Template.fromStack(stack).toJSON();
  }
  // cdktf's default local backend (and cross-stack terraform_remote_state) bakes in the absolute working
  // directory: blank it so snapshots are the same on every machine.
  const cwd = JSON.stringify(process.cwd()).slice(1, -1);
  return JSON.parse(JSON.stringify(doc).split(cwd).join('<cwd>').replace(ASSET_HASH, '<asset-hash>'));
}

/**
 * Matches the normalized synthesized output of `stack` against its committed snapshot. The snapshot
 * holds the document as indented JSON text, so tools (the upgrade guard) can read it back exactly.
 */
export function expectSynthSnapshot(stack: Stack | TerraformStack): void {
  expect(JSON.stringify(synthesizeNormalized(stack), null, 2)).toMatchSnapshot();
}
