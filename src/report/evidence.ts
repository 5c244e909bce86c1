// What sets a package's level, for formats that show one verdict per package (SARIF, annotations,
// explain): the flow with both ends or the combination first, then the ledger items that carry the
// score into its band; and the rest of the findings grouped by rule, so a reviewer reads a page,
// not 2,000 lines.
import type { Finding, Level, PackageReport, RuleId, ScoreItem } from '../model.js';
import { compareFindings, LEVEL_MIN } from '../risk/score.js';

interface LevelEvidence {
  /** ledger items that set the level, strongest first (never empty when the ledger is not). */
  items: ScoreItem[];
  /** the finding each item rests on, in the same order (an item without a match is skipped). */
  findings: Finding[];
}

interface RuleGroup {
  rule: RuleId;
  count: number;
  /** the group's findings in reading order. */
  findings: Finding[];
}

const COMBINATION = /^combination\b/;

function rank(item: ScoreItem): number {
  // a combination floor or a flow decides the level by itself, whatever its points
  if (COMBINATION.test(item.reason)) return 3;
  if (item.rule === 'exfiltration') return 2;
  return 1;
}

/** The finding a ledger item rests on: same rule, file and line. */
function findingOf(pkg: PackageReport, item: Pick<ScoreItem, 'rule' | 'file' | 'line'>): Finding | undefined {
  return pkg.findings.find((f) => f.rule === item.rule && f.file === item.file && f.line === item.line)
    ?? pkg.findings.find((f) => f.file === item.file && f.line === item.line);
}

/**
 * The smallest set of ledger items that explains the level: every combination and flow item,
 * then the biggest items until their points reach the level's band.
 */
export function levelEvidence(pkg: PackageReport, level: Level = pkg.level): LevelEvidence {
  const ledger = (pkg.scoreBreakdown ?? []).map((item, i) => ({ item, i }));
  ledger.sort((a, b) => rank(b.item) - rank(a.item) || b.item.points - a.item.points || a.i - b.i);
  const items: ScoreItem[] = [];
  let sum = 0;
  for (const { item } of ledger) {
    if (items.length > 0 && rank(item) === 1 && sum >= Math.max(1, LEVEL_MIN[level])) break;
    items.push(item);
    sum += item.points;
  }
  const findings: Finding[] = [];
  for (const item of items) {
    const f = findingOf(pkg, item);
    if (f && !findings.includes(f)) findings.push(f);
  }
  // a package whose ledger is empty (no score) still has a first finding to point at
  if (findings.length === 0 && pkg.findings.length > 0) findings.push([...pkg.findings].sort(compareFindings)[0]);
  return { items, findings };
}

/** Findings grouped by rule: groups in the order of `first`'s rules, then by size. */
export function groupByRule(findings: Finding[], first: RuleId[] = []): RuleGroup[] {
  const groups = new Map<RuleId, Finding[]>();
  for (const f of [...findings].sort(compareFindings)) {
    const g = groups.get(f.rule);
    if (g) g.push(f);
    else groups.set(f.rule, [f]);
  }
  const order = (r: RuleId) => {
    const i = first.indexOf(r);
    return i < 0 ? first.length : i;
  };
  return [...groups.entries()]
    .map(([rule, fs]) => ({ rule, count: fs.length, findings: fs }))
    .sort((a, b) => order(a.rule) - order(b.rule) || b.count - a.count || (a.rule < b.rule ? -1 : 1));
}
