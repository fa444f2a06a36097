import * as path from 'path';
import { UpgradeAllowList } from './allow-list';
import { checkCloudFormationUpgrade } from './cloudformation-upgrade';
import { formatFindings, UpgradeFinding } from './findings';
import { normalizeSynthesized } from './normalize';
import { checkTerraformUpgrade } from './terraform-upgrade';

/** An aws-cdk-lib `Stack` or a cdktf `TerraformStack` (typed structurally: neither toolkit is required). */
export type SynthesizableStack = object;

/** Options of {@link expectUpgradeSafeSnapshot}. */
export interface UpgradeSafeSnapshotOptions {
  /**
   * Reviewed exceptions: an allow list or the path of its JSON file.
   * @default - `upgrade-allowlist.json` in the working directory, when it exists
   */
  readonly allowList?: UpgradeAllowList | string;
}

/** True for a cdktf TerraformStack (duck-typed, so neither toolkit loads for the other). */
export function isTerraformStack(stack: unknown): boolean {
  return typeof (stack as { toTerraform?: unknown })?.toTerraform === 'function';
}

/** The synthesized document of `stack` (CloudFormation template or Terraform JSON), normalized. */
export function synthesizeNormalized(stack: SynthesizableStack): Record<string, any> {
  if (isTerraformStack(stack)) {
    // Through lib/tf, the one module that names cdktf; loaded only for Terraform stacks.
    const { Testing } = require('../tf/cdktf');
    return normalizeSynthesized(JSON.parse(Testing.synth(stack)));
  }
  const { Template } = require('aws-cdk-lib/assertions');
  return normalizeSynthesized(Template.fromStack(stack).toJSON());
}

/** Reads back the text of a string snapshot as jest stores it (quoted, with extra line breaks). */
export function parseStringSnapshot(stored: string): string | undefined {
  const s = stored.startsWith('\n') && stored.endsWith('\n') ? stored.slice(1, -1) : stored;
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : undefined;
}

/** The part of jest's expect state the guard reads (jest-snapshot's SnapshotState internals). */
interface JestSnapshotState {
  readonly _snapshotData: Record<string, string>;
  readonly _counters: Map<string, number>;
  markSnapshotsAsCheckedForTest(testName: string): void;
}

/**
 * The upgrade check behind {@link expectUpgradeSafeSnapshot}: given the committed snapshot text and the
 * fresh document, the findings no allow-list entry covers.
 */
export function upgradeFindings(committedText: string, fresh: Record<string, any>, terraform: boolean,
  allowList: UpgradeAllowList, snapshotName: string): UpgradeFinding[] {
  const before = JSON.parse(committedText);
  const findings = terraform ? checkTerraformUpgrade(before, fresh) : checkCloudFormationUpgrade(before, fresh);
  return allowList.unallowed(findings, snapshotName);
}

/**
 * Snapshot assertion with an upgrade guard, for jest. It synthesizes `stack`, normalizes the document
 * and compares it with the committed snapshot:
 * - identical: passes;
 * - different, and some resource would be replaced or destroyed (CloudFormation: classified by
 *   `@aws-cdk/cloudformation-diff`; Terraform: disappearing addresses without a `moved` block, changed
 *   force-new attributes): fails, naming each resource, unless the allow list covers it — also under
 *   `jest -u`, so such a change can never be accepted silently;
 * - different but safe: the usual snapshot mismatch (update deliberately with `jest -u`).
 *
 * ```ts
 * test('stack is upgrade-safe', () => {
 *   expectUpgradeSafeSnapshot(new MyStack(new App(), 'MyStack'));
 * });
 * ```
 */
export function expectUpgradeSafeSnapshot(stack: SynthesizableStack, options: UpgradeSafeSnapshotOptions = {}): void {
  const jestExpect = (globalThis as { expect?: any }).expect;
  if (typeof jestExpect?.getState !== 'function') {
    throw new Error('expectUpgradeSafeSnapshot must be called inside a jest test');
  }
  const fresh = synthesizeNormalized(stack);
  const text = JSON.stringify(fresh, null, 2);
  const state = jestExpect.getState() as { snapshotState: JestSnapshotState; currentTestName: string };
  const { snapshotState, currentTestName } = state;
  const key = `${currentTestName} ${(snapshotState._counters.get(currentTestName) ?? 0) + 1}`;
  const stored = snapshotState._snapshotData[key];
  const committedText = stored === undefined ? undefined : parseStringSnapshot(stored);
  if (committedText !== undefined && committedText !== text) {
    const allowList = options.allowList instanceof UpgradeAllowList ? options.allowList
      : UpgradeAllowList.fromFile(options.allowList ?? path.join(process.cwd(), 'upgrade-allowlist.json'));
    const blocking = upgradeFindings(committedText, fresh, isTerraformStack(stack), allowList, key);
    if (blocking.length > 0) {
      snapshotState.markSnapshotsAsCheckedForTest(currentTestName);
      throw new Error(`Upgrade guard: snapshot "${key}" changed so that deployed resources would be replaced ` +
        `or destroyed:\n${formatFindings(blocking)}\nKeep the construct ids and force-new properties stable, add ` +
        'a moved block (cdktf moveTo/moveFromId), or, if the change is deliberate, list each address in the ' +
        'upgrade allow list with a reason and the release whose CHANGELOG announces it.');
    }
  }
  jestExpect(text).toMatchSnapshot();
}
