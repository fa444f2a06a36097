import * as fs from 'fs';
import { UpgradeFinding } from './findings';

/** One deliberate, reviewed replacement or destruction. */
export interface UpgradeAllowListEntry {
  /** CloudFormation logical id or Terraform address the entry covers. */
  readonly address: string;
  /** Only snapshots whose name contains this text (e.g. the test or stack name). @default - every snapshot */
  readonly snapshot?: string;
  /** Why the replacement is acceptable, for the CHANGELOG. */
  readonly reason: string;
  /** The release whose CHANGELOG entry announces it. */
  readonly version: string;
}

/**
 * The reviewed exceptions to the upgrade guard, read from a JSON file holding an array of
 * {@link UpgradeAllowListEntry}. Every entry must carry a reason and the release that announces it.
 */
export class UpgradeAllowList {
  /** Reads `file`; a missing file is an empty list. */
  public static fromFile(file: string): UpgradeAllowList {
    if (!fs.existsSync(file)) return new UpgradeAllowList([]);
    const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as UpgradeAllowListEntry[];
    if (!Array.isArray(entries)) throw new Error(`${file}: expected a JSON array of allow-list entries`);
    entries.forEach((e, i) => {
      if (!e || typeof e.address !== 'string' || !e.address || typeof e.reason !== 'string' || !e.reason.trim() ||
        typeof e.version !== 'string' || !e.version) {
        throw new Error(`${file}[${i}]: every entry needs "address", a non-empty "reason" and "version"`);
      }
    });
    return new UpgradeAllowList(entries);
  }

  /**
   * @param entries the reviewed exceptions
   */
  constructor(
    /** The reviewed exceptions. */
    public readonly entries: readonly UpgradeAllowListEntry[],
  ) {}

  /** The findings no entry covers, for the snapshot named `snapshotName`. */
  public unallowed(findings: readonly UpgradeFinding[], snapshotName: string): UpgradeFinding[] {
    return findings.filter((f) => !this.entries.some((e) =>
      e.address === f.address && (e.snapshot === undefined || snapshotName.includes(e.snapshot))));
  }
}
