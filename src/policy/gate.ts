// The CI gate: config + allowlist + baseline applied to a report, then --fail-on decides. A
// package fails when its effective level (accepted findings left out) is at or above the
// threshold and, with a baseline, when it is new or its risk grew. Unchanged risk passes.
// A package that could not be fully analysed fails whatever its level (nothing proves it clean),
// unless the run allows incomplete packages (--allow-incomplete).
import { levelRank, type Level, type PackageReport, type Report } from '../model.js';
import { applyAllowlist, gateLevel, today } from './allowlist.js';
import { compareWithBaseline, driftKeys, type Baseline } from './baseline.js';
import type { PolicyConfig } from './config.js';

export interface PolicyOptions {
  config: PolicyConfig;
  failOn?: Level;
  baseline?: { file: string; data: Baseline };
  /** YYYY-MM-DD for allowlist expiry (default: today, UTC). */
  day?: string;
  /** --allow-incomplete: judge a not fully analysed package by its level like any other. */
  allowIncomplete?: boolean;
}

export interface PolicyOutcome {
  failing: PackageReport[];
  /** expired allowlist entries: always shown, they change the verdict. */
  expired: string[];
  /** other notes (entries that matched nothing). */
  notes: string[];
  /** `name@version` keys that are new or changed against the baseline (for the Markdown comment). */
  newOrChanged: Set<string>;
}

/** Packages at or above the threshold after the policy (the whole list when nothing applies). */
function gateFailing(report: Report, failOn: Level | undefined, useBaseline: boolean, allowIncomplete = false): PackageReport[] {
  if (!failOn) return [];
  return report.packages.filter(
    (p) =>
      (!allowIncomplete && !!p.incomplete?.length) ||
      (levelRank(gateLevel(p)) >= levelRank(failOn) && (!useBaseline || p.baseline === 'new' || p.baseline === 'changed')),
  );
}

/** Apply the policy to `report` in place (findings marked, report.policy set) and compute the gate. */
export function applyPolicy(report: Report, opts: PolicyOptions): PolicyOutcome {
  const allow = applyAllowlist(report, opts.config.allow, opts.day ?? today());
  if (opts.baseline) compareWithBaseline(report, opts.baseline.data);
  const failing = gateFailing(report, opts.failOn, !!opts.baseline, opts.allowIncomplete);
  const drift = opts.baseline ? driftKeys(report.packages) : undefined;

  if (opts.config.file || opts.baseline || opts.config.allow.length) {
    report.policy = {
      config: opts.config.file,
      ...(opts.failOn ? { failOn: opts.failOn } : {}),
      allow: allow.entries,
      ...(opts.baseline && drift ? { baseline: { file: opts.baseline.file, new: drift.new, changed: drift.changed } } : {}),
      failing: [...new Set(failing.map((p) => `${p.name}@${p.version}`))],
    };
  }
  const expired = allow.notes.filter((n) => / expired on /.test(n));
  return {
    failing,
    expired,
    notes: allow.notes.filter((n) => !expired.includes(n)),
    newOrChanged: new Set(drift ? [...drift.new, ...drift.changed] : []),
  };
}

/**
 * The report as CI annotations should see it: only packages that fail the gate (or, without a
 * threshold, every package), with accepted findings left out, so an annotation always points at
 * something the policy did not accept.
 */
export function gateView(report: Report, outcome: PolicyOutcome, failOn: Level | undefined): Report {
  const failing = new Set(outcome.failing);
  const packages = report.packages
    .filter((p) => !failOn || failing.has(p))
    .filter((p) => !p.accepted && p.baseline !== 'unchanged')
    .map((p) => ({ ...p, level: gateLevel(p), findings: p.findings.filter((f) => !f.accepted) }));
  return { ...report, packages };
}
