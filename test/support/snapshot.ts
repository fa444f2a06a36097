/**
 * The one way tests snapshot synthesized output: `expectSynthSnapshot(stack)`, the library's own
 * upgrade guard (`cdk-gpu-inference/testing`) with this repository's allow list. Every construct and
 * app snapshot is therefore guarded against replacing or destroying deployed resources.
 */
import * as path from 'path';
import { expectUpgradeSafeSnapshot, SynthesizableStack, UpgradeAllowList } from '../../lib/testing';

/** This repository's reviewed exceptions; each entry is announced in CHANGELOG.md. */
export const ALLOW_LIST_FILE = path.join(__dirname, '..', 'upgrade-allowlist.json');

/** Snapshot `stack` (CloudFormation or Terraform) with the upgrade guard. */
export function expectSynthSnapshot(stack: SynthesizableStack): void {
  expectUpgradeSafeSnapshot(stack, { allowList: UpgradeAllowList.fromFile(ALLOW_LIST_FILE) });
}
