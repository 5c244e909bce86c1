// GitHub Actions: workflow-command annotations (shown inline on the run and the PR) and the
// job's step summary. Data is escaped twice over: escapeUntrusted so nothing can steer a log
// viewer, then the runner's own escaping so nothing can end a property or start a new command.
import { appendFileSync } from 'node:fs';
import { levelRank, type Level, type PackageReport, type Report } from '../model.js';
import { levelEvidence } from './evidence.js';
import { escapeUntrusted } from './escape.js';
import { atOrAbove, findingFlags, flowText, packageKey, projectRelativePath } from './util.js';

type Command = 'error' | 'warning' | 'notice';

function commandFor(level: Level): Command {
  if (level === 'critical' || level === 'high') return 'error';
  if (level === 'medium') return 'warning';
  return 'notice';
}

/** Workflow-command message data: '%', CR and LF are the runner's escapes. */
export function escapeData(text: string): string {
  return escapeUntrusted(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command property values: as data, plus ':' and ',' which end a property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub shows only a handful of annotations per step: more would be noise nobody reads. */
const MAX_ANNOTATIONS = 10;

function isNew(p: PackageReport): boolean {
  return p.baseline === 'new' || p.baseline === 'changed';
}

function packageAnnotation(pkg: PackageReport): string {
  const key = packageKey(pkg);
  const evidence = levelEvidence(pkg);
  const f = evidence.findings[0];
  const props = f
    ? [
        `file=${escapeProperty(projectRelativePath(pkg, f.file))}`,
        `line=${Math.max(1, Math.trunc(f.line))}`,
        // Annotation columns are 1-based; the report's are acorn's 0-based.
        `col=${Math.max(0, Math.trunc(f.column)) + 1}`,
      ]
    : [];
  // no commas: the runner would show them as %2C in the title
  const tag = pkg.baseline === 'new' || pkg.baseline === 'changed' ? ` · ${pkg.baseline}` : '';
  props.push(`title=${escapeProperty(`env-audit: ${key} · ${pkg.level} · score ${Math.round(pkg.score)}${tag}`)}`);
  const parts = [`${key}: ${pkg.reasons[0] ?? 'see env-audit explain'}`];
  if (f) {
    const flags = findingFlags(f);
    parts.push(`evidence: ${f.rule} ${flowText(f) ?? f.detail}${flags.length ? ` (${flags.join('; ')})` : ''}`);
  }
  if (pkg.drift?.length) parts.push(`drift: ${pkg.drift.join('; ')}`);
  parts.push(`${pkg.findings.length} finding${pkg.findings.length === 1 ? '' : 's'}; run "env-audit explain ${pkg.name}"`);
  return `::${commandFor(pkg.level)} ${props.join(',')}::${escapeData(parts.join(' — '))}`;
}

/**
 * One annotation per package at or above `threshold`, new or changed ones (against a baseline)
 * first, then riskiest first, at most MAX_ANNOTATIONS; one notice counts the rest:
 * `::error file=node_modules/x/index.js,line=4,col=3,title=…::x@1.0.0: reason — evidence — …`.
 */
export function renderGithubAnnotations(report: Report, threshold: Level, max = MAX_ANNOTATIONS): string {
  const pkgs = report.packages
    .filter((p) => atOrAbove(p.level, threshold))
    .map((p, i) => ({ p, i }))
    .sort((a, b) => Number(isNew(b.p)) - Number(isNew(a.p)) || levelRank(b.p.level) - levelRank(a.p.level) || b.p.score - a.p.score || a.i - b.i)
    .map((x) => x.p);
  const lines = pkgs.slice(0, max).map(packageAnnotation);
  const rest = pkgs.slice(max);
  if (rest.length) {
    const names = rest.slice(0, 10).map((p) => `${packageKey(p)} (${p.level})`).join(', ');
    const title = escapeProperty(`env-audit: ${rest.length} more package${rest.length === 1 ? '' : 's'} at or above ${threshold}`);
    lines.push(`::notice title=${title}::${escapeData(`${names}${rest.length > 10 ? ', …' : ''} — see the job summary or the Markdown report`)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/**
 * Append Markdown to the job summary when running in GitHub Actions (GITHUB_STEP_SUMMARY set).
 * Returns true when it wrote. The only I/O in report/.
 */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : markdown + '\n', 'utf8');
  return true;
}
