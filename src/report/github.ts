// GitHub Actions: workflow-command annotations (shown inline on the run and the PR) and the
// job's step summary. Data is escaped twice over: escapeUntrusted so nothing can steer a log
// viewer, then the runner's own escaping so nothing can end a property or start a new command.
import { appendFileSync } from 'node:fs';
import type { Level, Report } from '../model.js';
import { escapeUntrusted } from './escape.js';
import { atOrAbove, findingFlags, findingReason, flowText, packageKey, projectRelativePath } from './util.js';

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

/**
 * One annotation per finding of every package at or above `threshold`:
 * `::error file=node_modules/x/index.js,line=4,col=3,title=…::x@1.0.0: NPM_TOKEN — reason`.
 */
export function renderGithubAnnotations(report: Report, threshold: Level): string {
  const lines: string[] = [];
  for (const pkg of report.packages) {
    if (!atOrAbove(pkg.level, threshold)) continue;
    const key = packageKey(pkg);
    for (const f of pkg.findings) {
      const props = [
        `file=${escapeProperty(projectRelativePath(pkg, f.file))}`,
        `line=${Math.max(1, Math.trunc(f.line))}`,
        // Annotation columns are 1-based; the report's are acorn's 0-based.
        `col=${Math.max(0, Math.trunc(f.column)) + 1}`,
        `title=${escapeProperty(`env-audit ${f.rule} (${pkg.level}): ${key}`)}`,
      ];
      const reason = findingReason(pkg, f);
      const flags = findingFlags(f);
      let message = `${key}: ${flowText(f) ?? f.detail}`;
      if (reason) message += ` — ${reason}`;
      if (flags.length) message += ` (${flags.join('; ')})`;
      lines.push(`::${commandFor(pkg.level)} ${props.join(',')}::${escapeData(message)}`);
    }
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
