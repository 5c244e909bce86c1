// Rule name-mismatch: a package is its location, its manifest's name and version, and its lockfile
// entry, and they must agree. `node_modules/innocent-looking/package.json` saying
// "@acme/telemetry" would otherwise be reported, allowlisted and baselined as @acme/telemetry.
// An npm alias (`"x": "npm:y@1"` in a dependent) is the one honest reason for a folder and a
// manifest to differ; the lockfile then records the real name too.
import type { Finding, PackageUnit } from '../../model.js';
import { message } from '../../rules/index.js';

export function identityFindings(unit: PackageUnit): Finding[] {
  const id = unit.identity;
  const manifestName = typeof unit.pkg.name === 'string' && unit.pkg.name !== '' ? unit.pkg.name : null;
  if (!id || manifestName === null) return []; // no name of its own: it goes by its folder's
  const manifestVersion = typeof unit.pkg.version === 'string' ? unit.pkg.version : '';
  const aliased = id.aliases.includes(manifestName);
  const problems: string[] = [];
  if (id.folder !== undefined && id.folder !== manifestName && !aliased) {
    problems.push(`its folder is node_modules/${id.folder}`);
  }
  if (id.lock && id.lock.name !== manifestName && !(aliased && id.lock.name === id.folder)) {
    problems.push(`the lockfile records ${id.lock.name}`);
  }
  if (id.lock?.version !== undefined && manifestVersion !== '' && id.lock.version !== manifestVersion) {
    problems.push(`the lockfile records version ${id.lock.version}`);
  }
  if (!problems.length) return [];
  const claim = `${manifestName}@${manifestVersion || '?'}`;
  return [
    {
      ...message('name-mismatch', 'mismatch', { claim, problems: problems.join(' and ') }),
      file: 'package.json',
      line: 1,
      column: 0,
      snippet: '',
      message: `The installed package.json claims ${claim}, but ${problems.join(' and ')}: allowlist and baseline entries for ${manifestName} do not apply to it.`,
    },
  ];
}

/** True when the package's names disagree: no allowlist or baseline entry may match it. */
export function hasNameMismatch(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.rule === 'name-mismatch');
}
