import * as fs from 'fs';
import * as path from 'path';
import { UpgradeAllowList } from '../../lib/testing';
import { ALLOW_LIST_FILE } from '../support/snapshot';

const CHANGELOG = fs.readFileSync(path.join(__dirname, '..', '..', 'CHANGELOG.md'), 'utf8');

/** The CHANGELOG section of `version` (`## [version]` up to the next `## `). */
function section(version: string): string {
  const start = CHANGELOG.indexOf(`## [${version}]`);
  if (start < 0) return '';
  const next = CHANGELOG.indexOf('\n## ', start + 1);
  return CHANGELOG.slice(start, next < 0 ? undefined : next);
}

describe('upgrade allow list', () => {
  const list = UpgradeAllowList.fromFile(ALLOW_LIST_FILE);

  test('every entry is announced in the CHANGELOG section of its release', () => {
    const unannounced = list.entries.filter((e) => !section(e.version).includes(e.address))
      .map((e) => `${e.address} (${e.version})`);
    expect(unannounced).toEqual([]);
  });

  test('the announcement check catches a missing entry', () => {
    expect(section('Unreleased')).toContain('### Added');
    expect(section('Unreleased')).not.toContain('google_service_account.never_announced');
    expect(section('9.9.9')).toBe('');
  });

  test('the CHANGELOG states the conventions for breaking changes', () => {
    expect(CHANGELOG).toMatch(/## Conventions/);
    expect(CHANGELOG).toMatch(/Construct ids, logical ids and Terraform addresses are public API/);
  });

  test('the file parses (an empty list is valid)', () => {
    expect(Array.isArray(list.entries)).toBe(true);
  });
});
