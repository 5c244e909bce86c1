// The diff as a pull-request comment: suspicious releases first, then a table of added and
// changed packages, then the head report's collapsed detail with the new or changed risk first
// (the colleague's renderMarkdown, whose escaping every package string here goes through too).
import type { Report } from '../model.js';
import { codeSpan, escapeMarkdown, renderMarkdown } from '../report/markdown.js';
import { hasRiskChange, newOrChangedKeys, suspiciousLine, type ReportDiff } from './diff.js';

function cell(text: string): string {
  return text ? escapeMarkdown(text, { table: true }) : '–';
}

export function renderDiffMarkdown(d: ReportDiff, head?: Report, opts: { title?: string } = {}): string {
  const out: string[] = [`## ${escapeMarkdown(opts.title ?? 'env-audit diff')}`, ''];
  const risky = d.changed.filter(hasRiskChange);
  out.push(
    escapeMarkdown(
      `${d.base.packages} → ${d.head.packages} packages: ${d.added.length} added, ${d.removed.length} removed, ` +
        `${d.changed.length} changed (${risky.length} in risk), ${d.unchanged} unchanged.`,
    ),
    '',
  );
  const suspicious = d.changed.filter((c) => c.suspicious);
  if (suspicious.length) {
    out.push('### Suspicious releases', '', ...suspicious.map((c) => `- ⚠️ ${escapeMarkdown(suspiciousLine(c))}`), '');
  }
  const rows: string[] = [];
  for (const a of d.added) {
    const f = a.facts;
    if (f.level === 'none' && !f.env.length && !f.capabilities.length) continue;
    rows.push(`| ${codeSpan(`${f.name}@${f.version}`, { table: true })} | added | ${f.level} | ${f.score} | ${cell(f.env.join(', '))} | ${cell(f.capabilities.join(', '))} |`);
  }
  for (const c of risky) {
    const env = [...c.env.added.map((n) => '+' + n), ...c.env.removed.map((n) => '-' + n)].join(', ');
    const caps = [...c.capabilities.gained.map((n) => '+' + n), ...c.capabilities.lost.map((n) => '-' + n)].join(', ');
    const level = c.level.from === c.level.to ? c.level.to : `${c.level.from} → ${c.level.to}`;
    const score = `${c.score.from} → ${c.score.to}`;
    rows.push(`| ${codeSpan(`${c.name}@${c.to.version}`, { table: true })} | ${escapeMarkdown(`${c.from.version} → ${c.to.version} (${c.step})`, { table: true })} | ${escapeMarkdown(level, { table: true })} | ${escapeMarkdown(score, { table: true })} | ${cell(env)} | ${cell(caps)} |`);
  }
  if (rows.length) {
    out.push('### Added and changed', '', '| Package | Change | Level | Score | Env | Capabilities |', '| --- | --- | --- | ---: | --- | --- |', ...rows, '');
  }
  if (d.removed.length) {
    out.push(`Removed: ${d.removed.map((r) => codeSpan(`${r.facts.name}@${r.facts.version}`)).join(', ')}`, '');
  }
  if (head) {
    // the head's own comment, demoted one heading level so it nests under the diff
    const body = renderMarkdown(head, { newOrChanged: newOrChangedKeys(d), title: 'Packages after the change' });
    out.push(body.replace(/^(#{2,5}) /gm, '#$1 '));
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
