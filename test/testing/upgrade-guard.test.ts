import { App, Stack, Tags } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { App as TfApp, TerraformStack } from 'cdktf';
import {
  checkCloudFormationUpgrade, checkTerraformUpgrade, expectUpgradeSafeSnapshot, parseStringSnapshot,
  synthesizeNormalized, UpgradeAllowList, upgradeFindings, UpgradeImpact, valueAtPath,
} from '../../lib/testing';

interface Variant { id?: string; name?: string; tag?: string; moved?: boolean }

function cfnStack({ id = 'Jobs', name = 'jobs', tag = 'a' }: Variant = {}): Stack {
  const stack = new Stack(new App(), 'Guard');
  const queue = new Queue(stack, id, { queueName: name });
  Tags.of(queue).add('team', tag);
  return stack;
}

function tfStack({ id = 'agent', name = 'agent-sa', tag = 'a', moved = false }: Variant = {}): TerraformStack {
  const stack = new TerraformStack(new TfApp(), 'guard');
  new GoogleProvider(stack, 'google', { project: 'p' });
  const sa = new ServiceAccount(stack, id, { accountId: name });
  if (moved) sa.moveFromId('google_service_account.agent');
  new CloudRunV2Service(stack, 'svc', {
    name: 'svc', location: 'europe-west1', labels: { team: tag }, deletionProtection: false,
    template: { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }] },
  });
  return stack;
}

const cfn = (v?: Variant) => synthesizeNormalized(cfnStack(v));
const tf = (v?: Variant) => synthesizeNormalized(tfStack(v));

describe('upgrade guard: CloudFormation (classified by @aws-cdk/cloudformation-diff)', () => {
  const base = cfn();

  test('a renamed construct id fails: the old logical id would be destroyed', () => {
    const findings = checkCloudFormationUpgrade(base, cfn({ id: 'Work' }));
    expect(findings).toEqual([expect.objectContaining({ impact: UpgradeImpact.DESTROY, resourceType: 'AWS::SQS::Queue' })]);
    expect(findings[0].address).toMatch(/^Jobs/);
  });

  test('a changed name property fails: the queue would be replaced', () => {
    expect(checkCloudFormationUpgrade(base, cfn({ name: 'jobs-v2' }))).toEqual([
      expect.objectContaining({ impact: UpgradeImpact.REPLACE, reason: 'changed: QueueName' })]);
  });

  test('a benign tag change passes', () => {
    expect(checkCloudFormationUpgrade(base, cfn({ tag: 'b' }))).toEqual([]);
  });
});

describe('upgrade guard: Terraform (addresses, moved blocks, force-new attributes)', () => {
  const base = tf();

  test('a renamed construct id fails: the address disappears', () => {
    expect(checkTerraformUpgrade(base, tf({ id: 'runner' }))).toEqual([expect.objectContaining({
      impact: UpgradeImpact.DESTROY, address: 'google_service_account.agent', resourceType: 'google_service_account' })]);
  });

  test('a renamed construct id with a moved block passes', () => {
    const after = tf({ id: 'runner', moved: true });
    expect(after.moved).toEqual([{ from: 'google_service_account.agent', to: 'google_service_account.runner' }]);
    expect(checkTerraformUpgrade(base, after)).toEqual([]);
  });

  test('a moved block does not hide a force-new change', () => {
    expect(checkTerraformUpgrade(base, tf({ id: 'runner', moved: true, name: 'other-sa' }))).toEqual([
      expect.objectContaining({ impact: UpgradeImpact.REPLACE,
        reason: 'changed force-new attribute(s): account_id (moved to google_service_account.runner)' })]);
  });

  test('a changed name property fails: account_id forces a new service account', () => {
    expect(checkTerraformUpgrade(base, tf({ name: 'agent-sa-2' }))).toEqual([expect.objectContaining({
      impact: UpgradeImpact.REPLACE, address: 'google_service_account.agent',
      reason: 'changed force-new attribute(s): account_id' })]);
  });

  test('a benign label change passes', () => {
    expect(checkTerraformUpgrade(base, tf({ tag: 'b' }))).toEqual([]);
  });

  test('a resource whose type changes under the same address is a replacement', () => {
    const before = { resource: { a_x: { r: {} } } };
    const after = { resource: { b_x: {} }, moved: [{ from: 'a_x.r', to: 'b_x.r' }] };
    expect(checkTerraformUpgrade(before, { ...after, resource: { b_x: { r: {} } } }))
      .toEqual([expect.objectContaining({ impact: UpgradeImpact.REPLACE, reason: 'resource type changes to b_x' })]);
  });

  test('valueAtPath descends through objects and lists of blocks', () => {
    expect(valueAtPath({ metadata: { name: 'n' } }, 'metadata.name')).toBe('n');
    expect(valueAtPath({ metadata: [{ name: 'n' }] }, 'metadata.name')).toEqual(['n']);
    expect(valueAtPath({ a: 1 }, 'a.b')).toBeUndefined();
  });
});

describe('allow list', () => {
  const finding = { impact: UpgradeImpact.REPLACE, address: 'google_service_account.agent', resourceType: 't', reason: 'r' };

  test('an entry covers its address, optionally only in matching snapshots', () => {
    const list = new UpgradeAllowList([{ address: 'google_service_account.agent', reason: 'rename', version: '0.2.0' }]);
    expect(list.unallowed([finding], 'x 1')).toEqual([]);
    const scoped = new UpgradeAllowList([{ address: 'google_service_account.agent', snapshot: 'other', reason: 'r', version: '1' }]);
    expect(scoped.unallowed([finding], 'x 1')).toEqual([finding]);
  });

  test('fromFile rejects entries without a reason and reads a missing file as empty', () => {
    const fs = require('fs') as typeof import('fs');
    const os = require('os') as typeof import('os');
    const path = require('path') as typeof import('path');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'allow-')), 'list.json');
    expect(UpgradeAllowList.fromFile(file).entries).toEqual([]);
    fs.writeFileSync(file, JSON.stringify([{ address: 'a', reason: ' ', version: '1' }]));
    expect(() => UpgradeAllowList.fromFile(file)).toThrow(/needs "address", a non-empty "reason" and "version"/);
  });
});

describe('expectUpgradeSafeSnapshot inside jest', () => {
  test('parseStringSnapshot reads back jest string snapshots', () => {
    expect(parseStringSnapshot('\n"{\n  "a": 1\n}"\n')).toBe('{\n  "a": 1\n}');
    expect(parseStringSnapshot('"x"')).toBe('x');
    expect(parseStringSnapshot('{}')).toBeUndefined();
  });

  /** Pretends `committed` is the committed snapshot of the next assertion in this test. */
  function withCommitted(committed: Record<string, unknown>, fn: () => void): void {
    const { snapshotState, currentTestName } = expect.getState() as any;
    const key = `${currentTestName} ${(snapshotState._counters.get(currentTestName) ?? 0) + 1}`;
    snapshotState._snapshotData[key] = `\n"${JSON.stringify(committed, null, 2)}"\n`;
    try { fn(); } finally { delete snapshotState._snapshotData[key]; }
  }

  test('fails naming the resource when a committed snapshot would be replaced, even before jest compares', () => {
    withCommitted(tf(), () => {
      expect(() => expectUpgradeSafeSnapshot(tfStack({ name: 'agent-sa-2' }), { allowList: new UpgradeAllowList([]) }))
        .toThrow(/Upgrade guard: .*\n  - REPLACE google_service_account.agent \(google_service_account\): changed force-new attribute\(s\): account_id/);
    });
    withCommitted(cfn(), () => {
      expect(() => expectUpgradeSafeSnapshot(cfnStack({ id: 'Work' }), { allowList: new UpgradeAllowList([]) }))
        .toThrow(/- DESTROY Jobs.* \(AWS::SQS::Queue\)/);
    });
  });

  test('an allow-listed replacement is not a guard finding (jest then compares the snapshot as usual)', () => {
    const allow = new UpgradeAllowList([{ address: 'google_service_account.agent', reason: 'r', version: '0.2.0' }]);
    const committed = JSON.stringify(tf(), null, 2);
    expect(upgradeFindings(committed, tf({ name: 'agent-sa-2' }), true, allow, 'x 1')).toEqual([]);
    expect(upgradeFindings(committed, tf({ name: 'agent-sa-2' }), true, new UpgradeAllowList([]), 'x 1')).toHaveLength(1);
  });

  test('outside jest it says so', () => {
    const jestExpect = expect;
    const stack = cfnStack();
    (globalThis as any).expect = undefined;
    let error: unknown;
    try {
      expectUpgradeSafeSnapshot(stack);
    } catch (e) {
      error = e;
    } finally {
      (globalThis as any).expect = jestExpect;
    }
    jestExpect(String(error)).toMatch(/must be called inside a jest test/);
  });
});
