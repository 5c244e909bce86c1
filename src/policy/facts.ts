// The risk facts of one package that baselines record and diffs compare: env names, secret
// names, whole-env reads, capabilities, exfiltration flows, install-time behaviour and the level.
// Deliberately free of lines, columns and scores, which move with every release and would make a
// baseline churn; what is compared is what a reviewer would call "new behaviour".
import { levelRank, type Capability, type Finding, type Level, type PackageReport } from '../model.js';
import { gateLevel, ruleCapability } from './allowlist.js';

export interface Facts {
  name: string;
  version: string;
  level: Level;
  score: number;
  /** every env name read, sorted. */
  env: string[];
  /** the subset that looks like a secret. */
  secretEnv: string[];
  bulk: boolean;
  dynamic: boolean;
  capabilities: Capability[];
  /** "SOURCE → SINK" per exfiltration finding, sorted, unique. */
  exfiltration: string[];
  /** "rule: detail" per install-time finding (install scripts included), sorted, unique. */
  installTime: string[];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedUnique(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort(cmp);
}

function exfiltrationKey(f: Finding): string {
  if (f.flow) return `${f.flow.source.detail} → ${f.flow.sink.detail}`;
  return f.detail;
}

function installTimeKey(f: Finding): string {
  return `${f.rule}: ${f.detail}`;
}

/**
 * Facts of a package. With `effective`, findings the allowlist accepted are left out and the level
 * is the effective one: that is what gating compares. Without it, everything (what a baseline records).
 */
export function factsOf(pkg: PackageReport, opts: { effective?: boolean } = {}): Facts {
  const effective = opts.effective === true;
  if (!effective || !pkg.findings.some((f) => f.accepted)) {
    return {
      name: pkg.name,
      version: pkg.version,
      level: effective ? gateLevel(pkg) : pkg.level,
      score: effective ? (pkg.effectiveScore ?? pkg.score) : pkg.score,
      env: sortedUnique(pkg.env.reads),
      secretEnv: sortedUnique(pkg.env.secretReads),
      bulk: pkg.env.bulk,
      dynamic: pkg.env.dynamic,
      capabilities: sortedUnique(pkg.capabilities) as Capability[],
      exfiltration: sortedUnique(pkg.findings.filter((f) => f.rule === 'exfiltration').map(exfiltrationKey)),
      installTime: sortedUnique(pkg.findings.filter(isInstallTime).map(installTimeKey)),
    };
  }
  const kept = pkg.findings.filter((f) => !f.accepted);
  const reads = sortedUnique(kept.filter((f) => f.rule === 'env-read').map((f) => f.detail));
  const secret = new Set(pkg.env.secretReads);
  return {
    name: pkg.name,
    version: pkg.version,
    level: gateLevel(pkg),
    score: pkg.effectiveScore ?? pkg.score,
    env: reads,
    secretEnv: reads.filter((n) => secret.has(n)),
    bulk: kept.some((f) => f.rule === 'env-bulk'),
    dynamic: kept.some((f) => f.rule === 'env-read-dynamic'),
    capabilities: sortedUnique(
      kept.map((f) => ruleCapability(f.rule)).filter((c): c is Capability => c !== null),
    ) as Capability[],
    exfiltration: sortedUnique(kept.filter((f) => f.rule === 'exfiltration').map(exfiltrationKey)),
    installTime: sortedUnique(kept.filter(isInstallTime).map(installTimeKey)),
  };
}

function isInstallTime(f: Finding): boolean {
  return f.installTime === true || f.rule === 'install-script';
}

/** The union of several versions' facts: what the project already accepted for a package name. */
export function unionFacts(list: Facts[]): Facts {
  const top = list.reduce((a, b) => (levelRank(b.level) > levelRank(a.level) ? b : a), list[0]);
  return {
    name: list[0].name,
    version: list.map((f) => f.version).join(', '),
    level: top.level,
    score: Math.max(...list.map((f) => f.score)),
    env: sortedUnique(list.flatMap((f) => f.env)),
    secretEnv: sortedUnique(list.flatMap((f) => f.secretEnv)),
    bulk: list.some((f) => f.bulk),
    dynamic: list.some((f) => f.dynamic),
    capabilities: sortedUnique(list.flatMap((f) => f.capabilities)) as Capability[],
    exfiltration: sortedUnique(list.flatMap((f) => f.exfiltration)),
    installTime: sortedUnique(list.flatMap((f) => f.installTime)),
  };
}

export interface RiskGain {
  /** secret names read now that were not read at all before. */
  secretEnv: string[];
  capabilities: Capability[];
  bulk: boolean;
  exfiltration: string[];
  installTime: string[];
  /** the level went up (from → to). */
  level: { from: Level; to: Level } | null;
}

/** What `after` does that `before` did not: the drift a baseline gate and a diff care about. */
export function riskGain(before: Facts, after: Facts): RiskGain {
  const had = (xs: string[]) => new Set(xs);
  const env = had(before.env);
  const caps = had(before.capabilities);
  const exf = had(before.exfiltration);
  const inst = had(before.installTime);
  return {
    secretEnv: after.secretEnv.filter((n) => !env.has(n)),
    capabilities: after.capabilities.filter((c) => !caps.has(c)),
    bulk: after.bulk && !before.bulk,
    exfiltration: after.exfiltration.filter((x) => !exf.has(x)),
    installTime: after.installTime.filter((x) => !inst.has(x)),
    level: levelRank(after.level) > levelRank(before.level) ? { from: before.level, to: after.level } : null,
  };
}

export function hasGain(g: RiskGain): boolean {
  return !!(g.secretEnv.length || g.capabilities.length || g.bulk || g.exfiltration.length || g.installTime.length || g.level);
}

/** One short line per gain: "new secret read NPM_TOKEN", "gains network", "level low → high". */
export function gainLines(g: RiskGain): string[] {
  const out: string[] = [];
  if (g.level) out.push(`level ${g.level.from} → ${g.level.to}`);
  if (g.secretEnv.length) out.push(`new secret read ${g.secretEnv.join(', ')}`);
  if (g.bulk) out.push('now reads the whole environment');
  if (g.capabilities.length) out.push(`gains ${g.capabilities.join(', ')}`);
  for (const x of g.exfiltration) out.push(`new exfiltration ${x}`);
  for (const x of g.installTime) out.push(`new install-time ${x}`);
  return out;
}
