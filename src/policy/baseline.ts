// Baselines: the accepted state of a tree, per package name and version: env names, capabilities,
// level. Written as stable, sorted JSON (no timestamps, no scores, no lines) so that a baseline
// update diffs cleanly in a pull request. `--baseline FILE` then gates on drift only.
import fs from 'node:fs';
import semver from 'semver';
import { CAPABILITIES, LEVELS, type Capability, type Level, type PackageReport, type Report } from '../model.js';
import { escapeJsonText } from '../report/escape.js';
import { ConfigError } from './config.js';
import { hasNameMismatch } from '../analyze/package/identity.js';
import { factsOf, gainLines, hasGain, riskGain, unionFacts, type Facts } from './facts.js';

const BASELINE_VERSION = 1;

interface BaselineEntry {
  level: Level;
  env?: string[];
  secretEnv?: string[];
  bulk?: true;
  dynamic?: true;
  capabilities?: Capability[];
  exfiltration?: string[];
  installTime?: string[];
}

export interface Baseline {
  envAuditBaseline: typeof BASELINE_VERSION;
  /** name → version → entry. */
  packages: Record<string, Record<string, BaselineEntry>>;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareVersions(a: string, b: string): number {
  const va = semver.valid(a);
  const vb = semver.valid(b);
  if (va && vb) return semver.compare(va, vb);
  return cmp(a, b);
}

function entryOf(f: Facts): BaselineEntry {
  // empty lists and false flags are left out: most packages are `{ "level": "none" }`
  const e: BaselineEntry = { level: f.level };
  if (f.env.length) e.env = f.env;
  if (f.secretEnv.length) e.secretEnv = f.secretEnv;
  if (f.bulk) e.bulk = true;
  if (f.dynamic) e.dynamic = true;
  if (f.capabilities.length) e.capabilities = f.capabilities;
  if (f.exfiltration.length) e.exfiltration = f.exfiltration;
  if (f.installTime.length) e.installTime = f.installTime;
  return e;
}

function factsFromEntry(name: string, version: string, e: BaselineEntry): Facts {
  return {
    name,
    version,
    level: e.level,
    score: 0,
    env: e.env ?? [],
    secretEnv: e.secretEnv ?? [],
    bulk: e.bulk === true,
    dynamic: e.dynamic === true,
    capabilities: e.capabilities ?? [],
    exfiltration: e.exfiltration ?? [],
    installTime: e.installTime ?? [],
  };
}

/** The baseline of a report: everything as scanned (the allowlist does not hide what is recorded). */
export function createBaseline(report: Report): Baseline {
  const byName = new Map<string, Map<string, Facts>>();
  for (const pkg of report.packages) {
    const f = factsOf(pkg);
    let versions = byName.get(pkg.name);
    if (!versions) byName.set(pkg.name, (versions = new Map<string, Facts>()));
    const prev = versions.get(pkg.version);
    // the same name@version at two locations is one package: keep the union
    versions.set(pkg.version, prev ? unionFacts([prev, f]) : f);
  }
  const packages: Baseline['packages'] = {};
  for (const name of [...byName.keys()].sort(cmp)) {
    const versions = byName.get(name)!;
    packages[name] = {};
    for (const v of [...versions.keys()].sort(compareVersions)) packages[name][v] = entryOf({ ...versions.get(v)!, version: v });
  }
  return { envAuditBaseline: BASELINE_VERSION, packages };
}

/** Stable text: keys in a fixed order, 2-space indent, trailing newline. */
export function renderBaseline(b: Baseline): string {
  const order: (keyof BaselineEntry)[] = ['level', 'env', 'secretEnv', 'bulk', 'dynamic', 'capabilities', 'exfiltration', 'installTime'];
  const packages: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const name of Object.keys(b.packages).sort(cmp)) {
    packages[name] = {};
    for (const v of Object.keys(b.packages[name]).sort(compareVersions)) {
      const e = b.packages[name][v];
      const out: Record<string, unknown> = {};
      for (const k of order) if (e[k] !== undefined) out[k] = Array.isArray(e[k]) ? [...(e[k] as string[])].sort(cmp) : e[k];
      packages[name][v] = out;
    }
  }
  // names come from scanned packages: no raw control or bidi character reaches the file
  return escapeJsonText(JSON.stringify({ envAuditBaseline: b.envAuditBaseline, packages }, null, 2)) + '\n';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read a baseline file (or a JSON report, whose packages then are the baseline). Bad input is a ConfigError (exit 2). */
export function readBaseline(file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, '', code === 'ENOENT' ? 'baseline file not found (create it with "env-audit baseline --write FILE")' : code ? `cannot read: ${(err as Error).message}` : `not valid JSON (${(err as Error).message})`);
  }
  if (isObject(data) && data.schemaVersion === 1 && Array.isArray(data.packages)) {
    return createBaseline(data as unknown as Report);
  }
  if (!isObject(data) || data.envAuditBaseline === undefined) {
    throw new ConfigError(file, 'envAuditBaseline', 'missing: not an env-audit baseline (or JSON report)');
  }
  if (data.envAuditBaseline !== BASELINE_VERSION) {
    throw new ConfigError(file, 'envAuditBaseline', `version ${JSON.stringify(data.envAuditBaseline)} is not supported (expected ${BASELINE_VERSION})`);
  }
  if (!isObject(data.packages)) throw new ConfigError(file, 'packages', 'must be an object of name → version → entry');
  const packages: Baseline['packages'] = {};
  for (const [name, versions] of Object.entries(data.packages)) {
    const field = `packages[${JSON.stringify(name)}]`;
    if (!isObject(versions)) throw new ConfigError(file, field, 'must be an object of version → entry');
    packages[name] = {};
    for (const [v, e] of Object.entries(versions)) {
      packages[name][v] = checkEntry(e, file, `${field}[${JSON.stringify(v)}]`);
    }
  }
  return { envAuditBaseline: BASELINE_VERSION, packages };
}

function checkEntry(e: unknown, file: string, field: string): BaselineEntry {
  if (!isObject(e)) throw new ConfigError(file, field, 'must be an object with at least "level"');
  if (typeof e.level !== 'string' || !(LEVELS as readonly string[]).includes(e.level)) {
    throw new ConfigError(file, `${field}.level`, `must be one of ${LEVELS.join(', ')}`);
  }
  const out: BaselineEntry = { level: e.level as Level };
  for (const k of ['env', 'secretEnv', 'exfiltration', 'installTime', 'capabilities'] as const) {
    const v = e[k];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ConfigError(file, `${field}.${k}`, 'must be an array of strings');
    const names = v as string[];
    if (k === 'capabilities') {
      const bad = names.find((x) => !(CAPABILITIES as readonly string[]).includes(x));
      if (bad !== undefined) throw new ConfigError(file, `${field}.capabilities`, `unknown capability ${JSON.stringify(bad)}`);
      out.capabilities = names as Capability[];
    } else out[k] = names;
  }
  for (const k of ['bulk', 'dynamic'] as const) {
    if (e[k] === undefined) continue;
    if (typeof e[k] !== 'boolean') throw new ConfigError(file, `${field}.${k}`, 'must be true or false');
    if (e[k]) out[k] = true;
  }
  return out;
}

/**
 * Compare each package with the baseline and set `baseline` and `drift` on it. The same
 * name@version is compared with its own entry; another version of a known name with everything the
 * baseline accepted for that name (an upgrade that only keeps doing the same is not drift).
 * Effective facts are compared, so the allowlist applies to drift too.
 */
export function compareWithBaseline(report: Report, baseline: Baseline): void {
  for (const pkg of report.packages) {
    if (hasNameMismatch(pkg.findings)) {
      // the baseline knows packages by name: one whose names disagree is not the one it knows
      pkg.baseline = 'new';
      pkg.drift = ['its manifest name or version differs from its folder or lockfile entry'];
      continue;
    }
    const versions = baseline.packages[pkg.name];
    if (!versions || Object.keys(versions).length === 0) {
      pkg.baseline = 'new';
      pkg.drift = ['not in the baseline'];
      continue;
    }
    const before = versions[pkg.version]
      ? factsFromEntry(pkg.name, pkg.version, versions[pkg.version])
      : unionFacts(Object.entries(versions).map(([v, e]) => factsFromEntry(pkg.name, v, e)));
    const gain = riskGain(before, factsOf(pkg, { effective: true }));
    if (hasGain(gain)) {
      pkg.baseline = 'changed';
      pkg.drift = gainLines(gain);
    } else {
      pkg.baseline = 'unchanged';
      delete pkg.drift;
    }
  }
}

export function driftKeys(packages: PackageReport[]): { new: string[]; changed: string[] } {
  const key = (p: PackageReport) => `${p.name}@${p.version}`;
  return {
    new: [...new Set(packages.filter((p) => p.baseline === 'new').map(key))].sort(cmp),
    changed: [...new Set(packages.filter((p) => p.baseline === 'changed').map(key))].sort(cmp),
  };
}
