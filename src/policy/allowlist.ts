// The allowlist: project-approved behaviour. An entry accepts findings of one package (optionally
// a version range): env names it lists, capabilities it lists, or everything when it lists
// neither. Accepted findings stay in the report, marked, and the package is re-scored without
// them; that effective level is what --fail-on looks at, so an entry for stripe's own key and
// network reach does not hide a stripe release that starts reading AWS keys.
import semver from 'semver';
import type { AllowEntryStatus, Capability, Finding, Level, PackageReport, PackageUnit, Report, RuleId } from '../model.js';
import { ruleCapability as capabilityOf } from '../rules/index.js';
import { exfilSource, scorePackage } from '../risk/score.js';
import type { AllowEntry } from './config.js';
import { hasNameMismatch } from '../analyze/package/identity.js';


export function ruleCapability(rule: RuleId): Capability | null {
  return capabilityOf(rule);
}

/** Today as YYYY-MM-DD in UTC; ENV_AUDIT_TODAY overrides it so tests and audits can replay a date. */
export function today(now: Date = new Date()): string {
  const forced = process.env.ENV_AUDIT_TODAY;
  if (forced && /^\d{4}-\d{2}-\d{2}$/.test(forced)) return forced;
  return now.toISOString().slice(0, 10);
}

/** An entry accepts through the end of its `expires` day (UTC). */
export function isExpired(entry: Pick<AllowEntry, 'expires'>, day: string): boolean {
  return entry.expires !== undefined && entry.expires < day;
}

export function entryMatchesPackage(entry: AllowEntry, pkg: Pick<PackageReport, 'name' | 'version'>): boolean {
  if (entry.package !== pkg.name) return false;
  if (entry.version === undefined) return true;
  // a version that is not semver can only be matched by an entry without a range
  return semver.valid(pkg.version) !== null && semver.satisfies(pkg.version, entry.version, { includePrerelease: true });
}

function envMatches(entry: AllowEntry, name: string): boolean {
  return (entry.env ?? []).some((pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
}

/** Does this entry accept this finding of a package it matches? */
export function entryAcceptsFinding(entry: AllowEntry, f: Finding): boolean {
  const caps = entry.capabilities ?? [];
  const whole = entry.env === undefined && entry.capabilities === undefined;
  if (whole) return true;
  // Code that runs at install time is a different promise from what the SDK does at runtime:
  // accepting stripe's network reach must not accept a postinstall that phones home.
  if (f.installTime && !caps.includes('install_script')) return false;
  switch (f.rule) {
    case 'env-read':
      return caps.includes('env') || envMatches(entry, f.detail);
    case 'env-read-dynamic':
    case 'env-bulk':
    case 'env-write':
      return caps.includes('env');
    case 'exfiltration': {
      // a value leaving the process: both ends must be accepted
      const src = exfilSource(f);
      const sourceOk = caps.includes('env') || (src !== null && envMatches(entry, src));
      return sourceOk && (caps.includes('network') || caps.includes('child_process'));
    }
    case 'parse-error':
      return false; // only a whole-package entry accepts "could not analyse"
    default: {
      const cap = ruleCapability(f.rule);
      return cap !== null && caps.includes(cap);
    }
  }
}

function unitOf(pkg: PackageReport): PackageUnit {
  return {
    name: pkg.name, version: pkg.version, location: pkg.location, path: '',
    dev: pkg.dev, optional: pkg.optional, peer: pkg.peer,
    isRoot: false, isWorkspace: false, isLink: false,
    integrity: pkg.integrity ?? null, paths: pkg.paths, pkg: {}, warnings: [],
  };
}

/** Score and level of a package without its accepted findings. */
function rescoreWithout(pkg: PackageReport, drop: (f: Finding) => boolean): { score: number; level: Level } {
  const kept = pkg.findings.filter((f) => !drop(f));
  const r = scorePackage(unitOf(pkg), kept);
  return { score: r.score, level: r.level };
}

/** The level --fail-on looks at: the effective level when the allowlist accepted anything. */
export function gateLevel(pkg: PackageReport): Level {
  return pkg.effectiveLevel ?? pkg.level;
}

export interface AllowlistResult {
  entries: AllowEntryStatus[];
  /** human lines: expired entries (and what they would accept), entries that matched nothing. */
  notes: string[];
}

/**
 * Mark accepted findings and set accepted / acceptedReason / effectiveScore / effectiveLevel on
 * each package an active entry matches. Mutates the report's packages; returns each entry's status.
 */
export function applyAllowlist(report: Report, entries: AllowEntry[], day: string = today()): AllowlistResult {
  const statuses: AllowEntryStatus[] = entries.map((e) => ({
    package: e.package,
    ...(e.version !== undefined ? { version: e.version } : {}),
    reason: e.reason,
    ...(e.expires !== undefined ? { expires: e.expires } : {}),
    expired: isExpired(e, day),
    matched: [],
  }));
  for (const pkg of report.packages) {
    const active: AllowEntry[] = [];
    entries.forEach((e, i) => {
      // an impostor's claimed name must not inherit the real package's acceptance
      if (!entryMatchesPackage(e, pkg) || hasNameMismatch(pkg.findings)) return;
      const status = statuses[i];
      const key = `${pkg.name}@${pkg.version}`;
      if (status.expired) {
        if (pkg.findings.some((f) => entryAcceptsFinding(e, f)) && !status.matched.includes(key)) status.matched.push(key);
        return;
      }
      active.push(e);
    });
    if (!active.length) continue;
    const reasons = new Set<string>();
    let any = false;
    for (const f of pkg.findings) {
      const by = active.filter((e) => entryAcceptsFinding(e, f));
      if (!by.length) continue;
      f.accepted = true;
      any = true;
      for (const e of by) {
        reasons.add(e.reason);
        const status = statuses[entries.indexOf(e)];
        const key = `${pkg.name}@${pkg.version}`;
        if (!status.matched.includes(key)) status.matched.push(key);
      }
    }
    if (!any) continue;
    const eff = rescoreWithout(pkg, (f) => f.accepted === true);
    pkg.effectiveScore = eff.score;
    pkg.effectiveLevel = eff.level;
    pkg.accepted = eff.level === 'none';
    pkg.acceptedReason = [...reasons].join('; ');
  }

  const notes: string[] = [];
  entries.forEach((e, i) => {
    const s = statuses[i];
    const what = `${e.field} (${e.package}${e.version ? '@' + e.version : ''})`;
    if (s.expired) {
      notes.push(
        `allowlist entry ${what} expired on ${e.expires} and no longer accepts anything` +
          (s.matched.length ? `; it would accept findings of ${s.matched.join(', ')}` : ''),
      );
    } else if (!s.matched.length) {
      notes.push(`allowlist entry ${what} matched no finding; remove it or fix its package/version/env`);
    }
  });
  return { entries: statuses, notes };
}
