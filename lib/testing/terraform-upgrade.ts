import { UpgradeFinding, UpgradeImpact } from './findings';
import { FORCE_NEW_ATTRIBUTES, valueAtPath } from './force-new-attributes';

type TfDocument = Record<string, any>;

interface ResourceEntry {
  readonly type: string;
  readonly config: Record<string, unknown>;
}

function resources(doc: TfDocument): Map<string, ResourceEntry> {
  const out = new Map<string, ResourceEntry>();
  for (const [type, byName] of Object.entries<Record<string, Record<string, unknown>>>(doc.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) out.set(`${type}.${name}`, { type, config });
  }
  return out;
}

/** `moved` blocks of a document, `from` address to `to` address. */
function movedBlocks(doc: TfDocument): Map<string, string> {
  const out = new Map<string, string>();
  const blocks: Array<{ from?: string; to?: string }> = Array.isArray(doc.moved) ? doc.moved : [];
  for (const b of blocks) {
    if (typeof b.from === 'string' && typeof b.to === 'string') out.set(b.from, b.to);
  }
  return out;
}

function forceNewChanges(type: string, before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return (FORCE_NEW_ATTRIBUTES[type] ?? []).filter((path) =>
    JSON.stringify(valueAtPath(before, path)) !== JSON.stringify(valueAtPath(after, path)));
}

/**
 * Compares two synthesized Terraform JSON documents (`cdk.tf.json`) and returns every resource that
 * applying `after` over `before` would destroy or replace:
 * - an address that disappears (a renamed construct id, a removed construct), unless a `moved` block
 *   in `after` (cdktf `moveTo` / `moveFromId`) carries it to an address that exists;
 * - a changed force-new attribute ({@link FORCE_NEW_ATTRIBUTES}), also across a `moved` block.
 */
export function checkTerraformUpgrade(before: TfDocument, after: TfDocument): UpgradeFinding[] {
  const old = resources(before);
  const now = resources(after);
  const moved = movedBlocks(after);
  const findings: UpgradeFinding[] = [];
  for (const [address, entry] of old) {
    const target = now.has(address) ? address : moved.get(address);
    const next = target !== undefined ? now.get(target) : undefined;
    if (next === undefined) {
      findings.push({ impact: UpgradeImpact.DESTROY, address, resourceType: entry.type,
        reason: 'the address disappears (renamed construct id or removed construct) and no moved block covers it' });
      continue;
    }
    if (next.type !== entry.type) {
      findings.push({ impact: UpgradeImpact.REPLACE, address, resourceType: entry.type,
        reason: `resource type changes to ${next.type}` });
      continue;
    }
    const changed = forceNewChanges(entry.type, entry.config, next.config);
    if (changed.length > 0) {
      findings.push({ impact: UpgradeImpact.REPLACE, address, resourceType: entry.type,
        reason: `changed force-new attribute(s): ${changed.join(', ')}${target !== address ? ` (moved to ${target})` : ''}` });
    }
  }
  return findings;
}
