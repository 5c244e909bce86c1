// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one result per finding, located
// in the installed file under node_modules, with a fingerprint that survives version upgrades.
import { createHash } from 'node:crypto';
import type { Finding, Level, PackageReport, Report } from '../model.js';
import { escapeJsonText, escapeUntrusted } from './escape.js';
import { defaultRules, helpSummary, helpText, type RuleMeta, type SarifLevel } from './rule-help.js';
import { findingFlags, findingReason, flowText, packageKey, projectRelativePath, truncate } from './util.js';

export type { SarifLevel } from './rule-help.js';

export interface SarifOptions {
  /** rule metadata; defaults to RULE_HELP for every rule id. */
  rules?: RuleMeta[];
  /** where a user learns about the tool (tool.driver.informationUri). */
  informationUri?: string;
}

const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const DEFAULT_INFORMATION_URI = 'https://www.npmjs.com/package/env-audit';
/** partialFingerprints key; bump the version if the hashed fields ever change. */
export const FINGERPRINT_KEY = 'envAuditFinding/v1';
/** A snippet can be a whole minified line; viewers show the region's own source anyway. */
const SNIPPET_MAX = 1000;

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

/** Stable across upgrades: name, rule, file and detail, but not version, line or column. */
export function findingFingerprint(pkgName: string, f: Pick<Finding, 'rule' | 'file' | 'detail'>): string {
  return createHash('sha256').update([pkgName, f.rule, f.file, f.detail].join('\u0000')).digest('hex').slice(0, 32);
}

/**
 * SARIF message strings may hold embedded links, "[text](target)"; literal brackets must be
 * backslash-escaped (SARIF 2.1.0 §3.11.6) or a package could plant a link in a viewer.
 */
function sarifMessage(text: string): string {
  return text.replace(/[[\]]/g, (ch) => '\\' + ch);
}

function messageText(pkg: PackageReport, f: Finding, rule: RuleMeta | undefined): string {
  const detail = flowText(f) ?? f.detail;
  const reason = findingReason(pkg, f) ?? rule?.shortDescription ?? f.rule;
  const flags = findingFlags(f);
  let text = `${packageKey(pkg)}: ${detail} — ${reason}`;
  if (flags.length) text += ` (${flags.join('; ')})`;
  return sarifMessage(escapeUntrusted(text));
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

/** The SARIF log as pretty JSON text with a trailing newline. */
export function renderSarif(report: Report, opts: SarifOptions = {}): string {
  const rules = opts.rules ?? defaultRules();
  const ruleIndex = new Map(rules.map((r, i) => [r.id as string, i]));

  const results = [];
  for (const pkg of report.packages) {
    // Same fingerprint twice in a package (e.g. two reads of one name in one file): number the
    // later ones so code scanning keeps them apart instead of merging them.
    const seen = new Map<string, number>();
    for (const f of pkg.findings) {
      const base = findingFingerprint(pkg.name, f);
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const index = ruleIndex.get(f.rule);
      const rule = index === undefined ? undefined : rules[index];
      const region: Record<string, unknown> = {
        startLine: Math.max(1, Math.trunc(f.line)),
        // SARIF columns are 1-based; the report's are acorn's 0-based.
        startColumn: Math.max(0, Math.trunc(f.column)) + 1,
      };
      if (f.snippet) region.snippet = { text: truncate(escapeUntrusted(f.snippet), SNIPPET_MAX) };
      const properties: Record<string, unknown> = {
        package: escapeUntrusted(pkg.name),
        version: escapeUntrusted(pkg.version),
        score: pkg.score,
        level: pkg.level,
      };
      if (pkg.dev) properties.dev = true;
      if (f.installTime) properties.installTime = true;
      if (f.reachable === false) properties.reachable = false;
      if (f.expected) properties.expected = true;
      if (pkg.effectiveLevel !== undefined) properties.effectiveLevel = pkg.effectiveLevel;
      // An allowlisted finding is still reported, as suppressed: code scanning then shows it
      // dismissed with the project's reason instead of as an open alert (SARIF 2.1.0 §3.27.23; the
      // OASIS schema we validate against has no `status` on a suppression, so none is written).
      const suppressions = f.accepted
        ? [{ kind: 'external', justification: truncate(escapeUntrusted(pkg.acceptedReason || 'accepted by the project allowlist'), SNIPPET_MAX) }]
        : undefined;
      results.push({
        ruleId: f.rule,
        ...(index === undefined ? {} : { ruleIndex: index }),
        // loudness follows the verdict the gate uses: the level left once accepted findings are out
        level: sarifLevel(pkg.effectiveLevel ?? pkg.level),
        message: { text: messageText(pkg, f, rule) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: pathToUri(projectRelativePath(pkg, f.file)), uriBaseId: '%SRCROOT%' },
              region,
            },
          },
        ],
        partialFingerprints: { [FINGERPRINT_KEY]: n === 1 ? base : `${base}:${n}` },
        ...(suppressions ? { suppressions } : {}),
        properties,
      });
    }
  }

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
