// Small builders for policy unit tests: packages scored by the real scorer from hand-written
// findings, and reports around them.
import type { Finding, Level, PackageReport, PackageUnit, Report, RuleId } from '../../src/model.js';
import { LEVELS } from '../../src/model.js';
import { scorePackage } from '../../src/risk/score.js';
import { structured } from '../helpers.js';

let line = 0;

export function f(rule: RuleId, detail: string, extra: Partial<Finding> = {}): Finding {
  line++;
  return structured({ rule, file: 'index.js', line, column: 0, detail, snippet: '', ...extra });
}

export function pkg(name: string, version: string, findings: Finding[], extra: Partial<PackageUnit> = {}): PackageReport {
  const unit: PackageUnit = {
    name, version, location: `node_modules/${name}`, path: `/x/node_modules/${name}`,
    dev: false, optional: false, peer: false, isRoot: false, isWorkspace: false, isLink: false,
    integrity: null, paths: [['app', name]], pkg: {}, warnings: [], ...extra,
  };
  return scorePackage(unit, findings);
}

export function report(packages: PackageReport[], root = 'app'): Report {
  const byLevel = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  for (const p of packages) byLevel[p.level]++;
  return {
    schemaVersion: 1,
    tool: { name: 'env-audit', version: '0.0.0-test' },
    generatedAt: '2026-01-01T00:00:00.000Z',
    root: { name: root, version: '1.0.0', path: '.' },
    summary: { packages: packages.length, files: packages.length, bytes: 0, parseErrors: 0, byLevel, durationMs: 1 },
    packages,
  };
}

/** A package that reads a secret and can reach the network: high. */
export function secretNet(name: string, version: string, secret = 'NPM_TOKEN', extra: Partial<Finding> = {}): PackageReport {
  return pkg(name, version, [f('env-read', secret, extra), f('network', 'https', extra)]);
}

export function quiet(name: string, version: string): PackageReport {
  return pkg(name, version, []);
}
