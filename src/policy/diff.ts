// The diff between two reports: packages added, removed and changed. For a change: the version
// step, env names added and removed, capabilities gained and lost, the score change. A patch,
// minor or prerelease step that gains network reach, a secret read, the whole env, an install
// script, obfuscation or an exfiltration is called out on its own: hijacked releases look like that
// (a maintainer's token is stolen, a patch goes out that phones home, every ^range picks it up).
import semver from 'semver';
import { levelRank, type Capability, type Level, type Report } from '../model.js';
import { escapeJsonText, escapeUntrusted } from '../report/escape.js';
import { factsOf, hasGain, riskGain, sortedUnique, unionFacts, type Facts, type RiskGain } from './facts.js';

export type VersionStep = 'major' | 'minor' | 'patch' | 'prerelease' | 'downgrade' | 'same' | 'unknown';

interface AddedOrRemoved {
  facts: Facts;
  /** the level after the allowlist (what --fail-on looks at). */
  effectiveLevel: Level;
}

export interface PackageChange {
  name: string;
  from: Facts;
  to: Facts;
  step: VersionStep;
  env: { added: string[]; removed: string[] };
  capabilities: { gained: Capability[]; lost: Capability[] };
  bulk: 'gained' | 'lost' | null;
  score: { from: number; to: number; delta: number };
  level: { from: Level; to: Level };
  /** what the new version does that the old did not, allowlist applied: drives --fail-on. */
  gain: RiskGain;
  effectiveLevel: Level;
  /** set when a patch/minor/prerelease step gains what hijacked releases gain: the gains, in words. */
  suspicious: string[] | null;
}

interface DiffSide {
  label: string;
  name: string;
  version: string;
  packages: number;
}

export interface ReportDiff {
  base: DiffSide;
  head: DiffSide;
  added: AddedOrRemoved[];
  removed: AddedOrRemoved[];
  /** risk or version changed, riskiest first. */
  changed: PackageChange[];
  unchanged: number;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function versionStep(from: string, to: string): VersionStep {
  if (from === to) return 'same';
  const a = semver.valid(from);
  const b = semver.valid(to);
  if (!a || !b) return 'unknown';
  if (semver.lt(b, a)) return 'downgrade';
  const d = semver.diff(a, b);
  switch (d) {
    case 'major':
    case 'minor':
    case 'patch':
      return d;
    case 'premajor':
    case 'preminor':
    case 'prepatch':
    case 'prerelease':
      return 'prerelease';
    default:
      return 'same'; // equal versions differing only in build metadata
  }
}

/** What makes a small release look hijacked, in words; empty when nothing does. */
export function hijackSignals(before: Facts, after: Facts): string[] {
  const out: string[] = [];
  const gained = (c: Capability) => after.capabilities.includes(c) && !before.capabilities.includes(c);
  if (gained('network')) out.push('network reach');
  const newSecrets = after.secretEnv.filter((n) => !before.env.includes(n));
  if (newSecrets.length) out.push(`a secret read (${newSecrets.join(', ')})`);
  if (after.bulk && !before.bulk) out.push('a read of the whole environment');
  if (gained('install_script') || after.installTime.some((x) => x.startsWith('install-script:') && !before.installTime.includes(x))) {
    out.push('an install script');
  }
  if (gained('obfuscation')) out.push('obfuscated code');
  const exf = after.exfiltration.filter((x) => !before.exfiltration.includes(x));
  if (exf.length) out.push(`an exfiltration (${exf.join('; ')})`);
  if (gained('child_process')) out.push('process spawning');
  if (gained('filesystem_credentials')) out.push('credential-file reads');
  return out;
}

interface Entry {
  raw: Facts;
  effective: Facts;
}

/** name → version → facts; one package at two locations counts once (the union). */
function index(report: Report): Map<string, Map<string, Entry>> {
  const out = new Map<string, Map<string, Entry>>();
  for (const pkg of report.packages) {
    let versions = out.get(pkg.name);
    if (!versions) out.set(pkg.name, (versions = new Map<string, Entry>()));
    const e = { raw: factsOf(pkg), effective: factsOf(pkg, { effective: true }) };
    const prev = versions.get(pkg.version);
    versions.set(
      pkg.version,
      prev ? { raw: unionFacts([prev.raw, e.raw]), effective: unionFacts([prev.effective, e.effective]) } : e,
    );
  }
  for (const versions of out.values()) {
    for (const [v, e] of versions) {
      e.raw.version = v;
      e.effective.version = v;
    }
  }
  return out;
}

function byVersionDesc(a: string, b: string): number {
  const va = semver.valid(a);
  const vb = semver.valid(b);
  if (va && vb) return semver.rcompare(va, vb);
  return cmp(b, a);
}

/**
 * Pair the versions of one name that only one side has: each head version (newest first) with the
 * newest base version of the same major, else the newest left. What is left over was added/removed.
 */
function pairVersions(base: string[], head: string[]): { pairs: [string, string][]; added: string[]; removed: string[] } {
  const left = [...base].sort(byVersionDesc);
  const pairs: [string, string][] = [];
  const added: string[] = [];
  for (const h of [...head].sort(byVersionDesc)) {
    if (!left.length) {
      added.push(h);
      continue;
    }
    const major = semver.valid(h) ? semver.major(h) : null;
    let i = major === null ? -1 : left.findIndex((b) => semver.valid(b) !== null && semver.major(b) === major);
    if (i < 0) i = 0;
    pairs.push([left[i], h]);
    left.splice(i, 1);
  }
  return { pairs, added, removed: left };
}

function sameFacts(a: Facts, b: Facts): boolean {
  return (
    a.level === b.level && a.score === b.score && a.bulk === b.bulk && a.dynamic === b.dynamic &&
    a.env.join('\0') === b.env.join('\0') && a.capabilities.join('\0') === b.capabilities.join('\0') &&
    a.exfiltration.join('\0') === b.exfiltration.join('\0') && a.installTime.join('\0') === b.installTime.join('\0')
  );
}

function change(name: string, from: Entry, to: Entry): PackageChange {
  const step = versionStep(from.raw.version, to.raw.version);
  const signals = hijackSignals(from.raw, to.raw);
  return {
    name,
    from: from.raw,
    to: to.raw,
    step,
    env: {
      added: to.raw.env.filter((n) => !from.raw.env.includes(n)),
      removed: from.raw.env.filter((n) => !to.raw.env.includes(n)),
    },
    capabilities: {
      gained: to.raw.capabilities.filter((c) => !from.raw.capabilities.includes(c)),
      lost: from.raw.capabilities.filter((c) => !to.raw.capabilities.includes(c)),
    },
    bulk: to.raw.bulk === from.raw.bulk ? null : to.raw.bulk ? 'gained' : 'lost',
    score: { from: from.raw.score, to: to.raw.score, delta: to.raw.score - from.raw.score },
    level: { from: from.raw.level, to: to.raw.level },
    gain: riskGain(from.effective, to.effective),
    effectiveLevel: to.effective.level,
    suspicious: (step === 'patch' || step === 'minor' || step === 'prerelease') && signals.length ? signals : null,
  };
}

export function diffReports(base: Report, head: Report, labels: { base?: string; head?: string } = {}): ReportDiff {
  const b = index(base);
  const h = index(head);
  const added: AddedOrRemoved[] = [];
  const removed: AddedOrRemoved[] = [];
  const changed: PackageChange[] = [];
  let unchanged = 0;
  const asAR = (e: Entry): AddedOrRemoved => ({ facts: e.raw, effectiveLevel: e.effective.level });

  for (const name of sortedUnique([...b.keys(), ...h.keys()])) {
    const bv = b.get(name) ?? new Map<string, Entry>();
    const hv = h.get(name) ?? new Map<string, Entry>();
    for (const [v, e] of hv) {
      const old = bv.get(v);
      if (!old) continue;
      if (sameFacts(old.raw, e.raw)) unchanged++;
      else changed.push(change(name, old, e)); // same version, new analysis (a newer env-audit)
    }
    const { pairs, added: addedV, removed: removedV } = pairVersions(
      [...bv.keys()].filter((v) => !hv.has(v)),
      [...hv.keys()].filter((v) => !bv.has(v)),
    );
    for (const [from, to] of pairs) changed.push(change(name, bv.get(from)!, hv.get(to)!));
    for (const v of addedV) added.push(asAR(hv.get(v)!));
    for (const v of removedV) removed.push(asAR(bv.get(v)!));
  }
  const riskier = (a: AddedOrRemoved, c: AddedOrRemoved) => c.facts.score - a.facts.score || cmp(a.facts.name, c.facts.name);
  added.sort(riskier);
  removed.sort(riskier);
  changed.sort(
    (x, y) => Number(!!y.suspicious) - Number(!!x.suspicious) || y.score.delta - x.score.delta || y.to.score - x.to.score || cmp(x.name, y.name),
  );
  const side = (r: Report, label: string | undefined): DiffSide => ({
    label: label ?? r.root.path,
    name: r.root.name,
    version: r.root.version,
    packages: r.packages.length,
  });
  return { base: side(base, labels.base), head: side(head, labels.head), added, removed, changed, unchanged };
}

/** Changes that fail `--fail-on`: new packages at or above it, and packages whose risk grew to at or above it. */
export function diffFailing(diff: ReportDiff, failOn: Level | undefined): string[] {
  if (!failOn) return [];
  const at = (l: Level) => levelRank(l) >= levelRank(failOn);
  const out: string[] = [];
  for (const a of diff.added) if (at(a.effectiveLevel)) out.push(`${a.facts.name}@${a.facts.version} (new, ${a.effectiveLevel})`);
  for (const c of diff.changed) {
    if (at(c.effectiveLevel) && hasGain(c.gain)) out.push(`${c.name}@${c.to.version} (${c.effectiveLevel}, was ${c.from.version} ${c.from.level})`);
  }
  return out;
}

/** `name@version` keys of the head side that are new or changed in risk (for Markdown's newOrChanged). */
export function newOrChangedKeys(diff: ReportDiff): Set<string> {
  const keys = new Set<string>();
  for (const a of diff.added) keys.add(`${a.facts.name}@${a.facts.version}`);
  for (const c of diff.changed) if (hasRiskChange(c)) keys.add(`${c.name}@${c.to.version}`);
  return keys;
}

export function hasRiskChange(c: PackageChange): boolean {
  return (
    c.env.added.length > 0 || c.env.removed.length > 0 || c.capabilities.gained.length > 0 || c.capabilities.lost.length > 0 ||
    c.bulk !== null || c.score.delta !== 0 || c.level.from !== c.level.to ||
    c.to.exfiltration.join('\0') !== c.from.exfiltration.join('\0') || c.to.installTime.join('\0') !== c.from.installTime.join('\0')
  );
}

// ---------------------------------------------------------------------------------------------
// Text

export interface DiffTextOptions {
  /** list packages at level none without env or capabilities, and version-only changes, too. */
  all?: boolean;
  title?: string;
}

const STEP_WORDS: Record<VersionStep, string> = {
  major: 'major', minor: 'minor', patch: 'patch', prerelease: 'prerelease', downgrade: 'downgrade', same: 'same version', unknown: 'version change',
};

function quiet(f: Facts): boolean {
  return f.level === 'none' && !f.env.length && !f.capabilities.length;
}

function envList(names: string[], secret: string[]): string {
  return names.map((n) => (secret.includes(n) ? n + '*' : n)).join(', ');
}

function factsLine(f: Facts): string {
  const parts: string[] = [];
  if (f.bulk) parts.push('reads the whole environment');
  if (f.env.length) parts.push(`env ${envList(f.env, f.secretEnv)}`);
  if (f.capabilities.length) parts.push(`capabilities ${f.capabilities.join(', ')}`);
  return parts.join('; ');
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

export function suspiciousLine(c: PackageChange): string {
  const gains = c.suspicious ?? [];
  const list = gains.length > 1 ? `${gains.slice(0, -1).join(', ')} and ${gains[gains.length - 1]}` : gains[0];
  return `${c.name} ${c.from.version} → ${c.to.version} is a ${c.step} release that gains ${list}: hijacked releases look like this; review it before upgrading`;
}

/** The diff for a terminal (every package string escaped). */
export function renderDiffText(d: ReportDiff, opts: DiffTextOptions = {}): string {
  const e = escapeUntrusted;
  const out: string[] = [];
  const title = opts.title ?? `env-audit diff: ${d.base.label} → ${d.head.label}`;
  out.push(e(title));
  const versionOnly = d.changed.filter((c) => !hasRiskChange(c));
  const risky = d.changed.filter(hasRiskChange);
  out.push(
    `${d.base.packages} → ${d.head.packages} packages: ${d.added.length} added, ${d.removed.length} removed, ` +
      `${d.changed.length} changed (${risky.length} in risk), ${d.unchanged} unchanged.`,
  );
  const suspicious = d.changed.filter((c) => c.suspicious);
  if (suspicious.length) {
    out.push('', 'Suspicious releases:');
    for (const c of suspicious) out.push(`  ! ${e(suspiciousLine(c))}`);
  }
  const section = (label: string, sign: string, items: AddedOrRemoved[]): void => {
    const shown = opts.all ? items : items.filter((a) => !quiet(a.facts));
    if (!items.length) return;
    out.push('', `${label}:`);
    for (const a of shown) {
      const f = a.facts;
      const detail = factsLine(f);
      out.push(`  ${sign} ${e(`${f.name}@${f.version}`)}  ${f.level} ${f.score}${detail ? '  ' + e(detail) : ''}`);
    }
    if (shown.length < items.length) out.push(`  … and ${items.length - shown.length} more at level none (--all lists them)`);
  };
  section('Added', '+', d.added);
  section('Removed', '-', d.removed);
  if (risky.length || (opts.all && versionOnly.length)) {
    out.push('', 'Changed:');
    for (const c of opts.all ? d.changed : risky) {
      const step = c.step === 'same' ? 'same version, new analysis' : STEP_WORDS[c.step];
      const head = `  ~ ${e(c.name)} ${e(c.from.version)} → ${e(c.to.version)} (${step})`;
      const score = `score ${c.score.from} → ${c.score.to} (${signed(c.score.delta)})`;
      const level = c.level.from === c.level.to ? c.level.to : `${c.level.from} → ${c.level.to}`;
      out.push(`${head}  ${score}  ${level}`);
      if (c.env.added.length || c.env.removed.length) {
        const parts = [];
        if (c.env.added.length) parts.push('+' + envList(c.env.added, c.to.secretEnv).split(', ').join(' +'));
        if (c.env.removed.length) parts.push('-' + c.env.removed.join(' -'));
        out.push(`      env: ${e(parts.join('  '))}`);
      }
      if (c.bulk) out.push(`      whole environment: ${c.bulk === 'gained' ? 'now read' : 'no longer read'}`);
      if (c.capabilities.gained.length || c.capabilities.lost.length) {
        const parts = [];
        if (c.capabilities.gained.length) parts.push('+' + c.capabilities.gained.join(' +'));
        if (c.capabilities.lost.length) parts.push('-' + c.capabilities.lost.join(' -'));
        out.push(`      capabilities: ${parts.join('  ')}`);
      }
      for (const x of c.to.exfiltration.filter((y) => !c.from.exfiltration.includes(y))) out.push(`      new exfiltration: ${e(x)}`);
      for (const x of c.to.installTime.filter((y) => !c.from.installTime.includes(y))) out.push(`      new install-time: ${e(x)}`);
    }
  }
  if (!opts.all && versionOnly.length) out.push('', `${versionOnly.length} version change${versionOnly.length === 1 ? '' : 's'} without risk change (--all lists them).`);
  if (!d.added.length && !d.removed.length && !d.changed.length) out.push('', 'No changes.');
  if (d.changed.some((c) => c.to.secretEnv.length) || d.added.some((a) => a.facts.secretEnv.length)) out.push('', '* = name looks like a secret.');
  return out.join('\n') + '\n';
}

/** The diff as JSON (stable key order as built, trailing newline). */
export function renderDiffJson(d: ReportDiff): string {
  return escapeJsonText(JSON.stringify({ envAuditDiff: 1, ...d }, null, 2)) + '\n';
}
