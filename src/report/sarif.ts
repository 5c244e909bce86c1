// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one result per package at or above
// the reporting level, located in the installed file under node_modules where the evidence that
// sets its level is, with a fingerprint that survives version upgrades and moved lines.
import { createHash } from 'node:crypto';
import type { Finding, Level, PackageReport, Report } from '../model.js';
import { escapeJsonText, escapeUntrusted } from './escape.js';
import { defaultRules, helpSummary, helpText, type RuleMeta, type SarifLevel } from './rule-help.js';
import { levelEvidence, groupByRule } from './evidence.js';
import { atOrAbove, findingFlags, flowText, packageKey, projectRelativePath, truncate } from './util.js';

export type { SarifLevel } from './rule-help.js';

export interface SarifOptions {
  /** rule metadata; defaults to RULE_HELP for every rule id. */
  rules?: RuleMeta[];
  /** where a user learns about the tool (tool.driver.informationUri). */
  informationUri?: string;
  /** the reporting level: packages at or above it get a result (default medium). */
  level?: Level;
}

const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const DEFAULT_INFORMATION_URI = 'https://www.npmjs.com/package/env-audit';
/** partialFingerprints key; bump the version if the hashed fields ever change. */
export const FINGERPRINT_KEY = 'envAuditPackage/v1';
/** A snippet can be a whole minified line; viewers show the region's own source anyway. */
const SNIPPET_MAX = 200;

/** The package's level decides how loud each of its findings is: the level is the verdict. */
export function sarifLevel(level: Level): SarifLevel {
  switch (level) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
      return 'warning';
    default:
      return 'note';
  }
}

/**
 * Percent-encode a posix path as a relative URI reference. Each segment is encoded, so spaces,
 * '#', '?', '%', control and bidi characters cannot change what the URI points at; '@' (every
 * scoped package) is a legal path character and stays readable. A lone surrogate (which
 * encodeURIComponent throws on) becomes U+FFFD.
 */
export function pathToUri(posixPath: string): string {
  return posixPath
    .split('/')
    .map((seg) => encodeURIComponent(seg.replace(/[\ud800-\udfff]/gu, '\ufffd')).replace(/%40/g, '@'))
    .join('/');
}

/**
 * SARIF message strings may hold embedded links, "[text](target)"; literal brackets must be
 * backslash-escaped (SARIF 2.1.0 §3.11.6) or a package could plant a link in a viewer.
 */
function sarifMessage(text: string): string {
  return text.replace(/[[\]]/g, (ch) => '\\' + ch);
}

function ruleDescriptor(rule: RuleMeta) {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: sarifMessage(rule.shortDescription) },
    fullDescription: { text: sarifMessage(helpText(helpSummary(rule.help))) },
    help: { text: sarifMessage(helpText(rule.help)), markdown: rule.help },
    defaultConfiguration: { level: rule.defaultLevel },
    properties: { tags: ['security', 'supply-chain'] },
  };
}

/** Related locations per rule and in all: enough to follow the evidence, not a 2 MB file. */
const RELATED_PER_RULE = 3;
const RELATED_MAX = 25;

/** Stable across upgrades and line moves: the package name and where it is installed. */
export function packageFingerprint(pkg: Pick<PackageReport, 'name' | 'location'>): string {
  return createHash('sha256').update(['package', pkg.name, pkg.location].join('\u0000')).digest('hex').slice(0, 32);
}

function physicalLocation(pkg: PackageReport, f: Finding) {
  const region: Record<string, unknown> = {
    startLine: Math.max(1, Math.trunc(f.line)),
    // SARIF columns are 1-based; the report's are acorn's 0-based.
    startColumn: Math.max(0, Math.trunc(f.column)) + 1,
  };
  if (f.snippet) region.snippet = { text: truncate(escapeUntrusted(f.snippet), SNIPPET_MAX) };
  return {
    artifactLocation: { uri: pathToUri(projectRelativePath(pkg, f.file)), uriBaseId: '%SRCROOT%' },
    region,
  };
}

function findingText(pkg: PackageReport, f: Finding): string {
  const flags = findingFlags(f);
  // the finding's own reason only: the package's main reason is in the result's message
  const reason = f.message ?? pkg.scoreBreakdown?.find((i) => i.rule === f.rule && i.file === f.file && i.line === f.line)?.reason;
  let text = `${f.rule}: ${flowText(f) ?? f.detail}`;
  if (reason) text += ` — ${reason}`;
  if (flags.length) text += ` (${flags.join('; ')})`;
  return text;
}

/** The level-setting findings first, then up to RELATED_PER_RULE of each rule. */
function relatedFindings(pkg: PackageReport, primary: Finding | undefined, evidence: Finding[]): Finding[] {
  const out = evidence.filter((f) => f !== primary);
  for (const g of groupByRule(pkg.findings)) {
    let n = 0;
    for (const f of g.findings) {
      if (n >= RELATED_PER_RULE) break;
      if (f === primary || out.includes(f)) continue;
      out.push(f);
      n++;
    }
  }
  return out.slice(0, RELATED_MAX);
}

/** "pkg@1.0.0 is high (score 55): <reason>", the score ledger, and what else was found. */
function packageMessage(pkg: PackageReport, shown: number): string {
  const level = pkg.effectiveLevel !== undefined && pkg.effectiveLevel !== pkg.level ? `${pkg.level} (${pkg.effectiveLevel} after the allowlist)` : pkg.level;
  const lines = [`${packageKey(pkg)} is ${level}, score ${Math.round(pkg.score)}/100: ${pkg.reasons[0] ?? 'see the findings'}`];
  const ledger = pkg.scoreBreakdown ?? [];
  if (ledger.length) {
    lines.push('Score ledger:');
    for (const i of ledger) lines.push(`${i.points >= 0 ? '+' : ''}${Math.round(i.points * 10) / 10} ${i.reason} (${i.file}${i.line > 0 ? `:${i.line}` : ''})`);
  }
  const counts = groupByRule(pkg.findings).map((g) => `${g.rule} ${g.count}`);
  lines.push(`Findings: ${counts.join(', ') || 'none'}${pkg.findings.length > shown ? `; ${shown} shown as related locations, all with "env-audit explain ${pkg.name}"` : ''}.`);
  // each line escaped on its own: a newline from a package is shown as \n, ours stay line breaks
  return sarifMessage(lines.map(escapeUntrusted).join('\n'));
}

function packageResult(pkg: PackageReport, reportLevel: Level, ruleIndex: Map<string, number>) {
  const evidence = levelEvidence(pkg);
  const primary = evidence.findings[0];
  const related = relatedFindings(pkg, primary, evidence.findings);
  const ruleId = primary?.rule ?? evidence.items[0]?.rule ?? 'parse-error';
  const index = ruleIndex.get(ruleId);
  const effective = pkg.effectiveLevel ?? pkg.level;
  const properties: Record<string, unknown> = {
    package: escapeUntrusted(pkg.name),
    version: escapeUntrusted(pkg.version),
    score: pkg.score,
    level: pkg.level,
    findings: pkg.findings.length,
  };
  if (pkg.dev) properties.dev = true;
  if (pkg.effectiveLevel !== undefined) properties.effectiveLevel = pkg.effectiveLevel;
  if (pkg.baseline) properties.baseline = pkg.baseline;
  // A package the allowlist brings below the reporting level is still reported, as suppressed:
  // code scanning shows it dismissed with the project's reason instead of as an open alert
  // (SARIF 2.1.0 §3.27.23; the OASIS schema has no `status` on a suppression, so none is written).
  const suppressed = !atOrAbove(effective, reportLevel);
  return {
    ruleId,
    ...(index === undefined ? {} : { ruleIndex: index }),
    // loudness follows the verdict the gate uses: the level left once accepted findings are out
    level: sarifLevel(effective),
    message: { text: packageMessage(pkg, related.length + (primary ? 1 : 0)) },
    locations: primary ? [{ physicalLocation: physicalLocation(pkg, primary) }] : [],
    ...(related.length
      ? { relatedLocations: related.map((f, i) => ({ id: i + 1, physicalLocation: physicalLocation(pkg, f), message: { text: sarifMessage(escapeUntrusted(findingText(pkg, f))) } })) }
      : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: packageFingerprint(pkg) },
    ...(suppressed
      ? { suppressions: [{ kind: 'external', justification: truncate(escapeUntrusted(pkg.acceptedReason || 'accepted by the project allowlist'), SNIPPET_MAX) }] }
      : {}),
    properties,
  };
}

/**
 * The SARIF log as pretty JSON text with a trailing newline: one result per package whose scanned
 * level is at or above `level` (default medium), located at the evidence that sets its level,
 * with its other findings as related locations and the score ledger in the message.
 */
export function renderSarif(report: Report, opts: SarifOptions = {}): string {
  const rules = opts.rules ?? defaultRules();
  const ruleIndex = new Map(rules.map((r, i) => [r.id as string, i]));
  const reportLevel = opts.level ?? 'medium';
  const results = report.packages.filter((p) => atOrAbove(p.level, reportLevel)).map((p) => packageResult(p, reportLevel, ruleIndex));

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'env-audit',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: opts.informationUri ?? DEFAULT_INFORMATION_URI,
            rules: rules.map(ruleDescriptor),
          },
        },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  // Belt and braces: every package string above is already escaped or percent-encoded.
  return escapeJsonText(JSON.stringify(log, null, 2)) + '\n';
}
