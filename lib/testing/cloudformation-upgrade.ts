import { UpgradeFinding, UpgradeImpact } from './findings';

type Template = Record<string, any>;

/**
 * Compares two CloudFormation templates with `@aws-cdk/cloudformation-diff` (the engine behind
 * `cdk diff`) and returns every resource that deploying `after` over `before` would replace, might
 * replace, destroy or orphan. Updates in place are not findings.
 */
export function checkCloudFormationUpgrade(before: Template, after: Template): UpgradeFinding[] {
  // Loaded lazily: it pulls in the CloudFormation resource specification (~1 s).
  const { fullDiff, ResourceImpact } = require('@aws-cdk/cloudformation-diff') as typeof import('@aws-cdk/cloudformation-diff');
  const findings: UpgradeFinding[] = [];
  const diff = fullDiff(before, after);
  diff.resources.forEachDifference((logicalId, change) => {
    const resourceType = change.oldResourceType ?? change.newResourceType ?? 'unknown';
    const forcing = Object.entries(change.propertyUpdates)
      .filter(([, u]) => u.changeImpact === ResourceImpact.WILL_REPLACE || u.changeImpact === ResourceImpact.MAY_REPLACE)
      .map(([name]) => name);
    switch (change.changeImpact) {
      case ResourceImpact.WILL_DESTROY:
        findings.push({ impact: UpgradeImpact.DESTROY, address: logicalId, resourceType,
          reason: 'the logical id disappears (renamed or removed construct)' });
        break;
      case ResourceImpact.WILL_ORPHAN:
        findings.push({ impact: UpgradeImpact.ORPHAN, address: logicalId, resourceType,
          reason: 'the logical id disappears; the resource is retained outside the stack' });
        break;
      case ResourceImpact.WILL_REPLACE:
        findings.push({ impact: UpgradeImpact.REPLACE, address: logicalId, resourceType,
          reason: change.oldResourceType !== change.newResourceType
            ? `resource type changes to ${change.newResourceType}`
            : `changed: ${forcing.join(', ') || 'a property that requires replacement'}` });
        break;
      case ResourceImpact.MAY_REPLACE:
        findings.push({ impact: UpgradeImpact.MAY_REPLACE, address: logicalId, resourceType,
          reason: `changed: ${forcing.join(', ') || 'a property that may require replacement'}` });
        break;
      default:
        break;
    }
  });
  return findings;
}
