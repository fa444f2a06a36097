/** How an upgrade would affect a deployed resource. */
export enum UpgradeImpact {
  /** The resource would be replaced (a new physical resource, the old one deleted). */
  REPLACE = 'replace',
  /** The resource might be replaced (CloudFormation cannot tell before deploy). */
  MAY_REPLACE = 'may-replace',
  /** The resource would be destroyed (its id or address disappears). */
  DESTROY = 'destroy',
  /** The resource would leave the stack's management but keep running (CloudFormation Retain). */
  ORPHAN = 'orphan',
}

/** One resource an upgrade would replace or destroy. */
export interface UpgradeFinding {
  /** What would happen. */
  readonly impact: UpgradeImpact;
  /** CloudFormation logical id, or Terraform address (`type.name`). */
  readonly address: string;
  /** Resource type (`AWS::Lambda::Function`, `google_cloud_run_v2_service`). */
  readonly resourceType: string;
  /** Why: the property that forces it, or what happened to the id. */
  readonly reason: string;
}

/** Renders findings as the lines of an error message. */
export function formatFindings(findings: readonly UpgradeFinding[]): string {
  return findings.map((f) => `  - ${f.impact.toUpperCase()} ${f.address} (${f.resourceType}): ${f.reason}`).join('\n');
}
