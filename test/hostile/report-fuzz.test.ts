// Property test of every reporter: the realistic sample report with every string a package can
// put in it (names, versions, locations, files, details, snippets, messages, env names, reasons,
// dependency paths, warnings) replaced by random mixes of terminal escapes, bidi and zero-width
// characters, line breaks, Markdown and HTML syntax, and GitHub workflow-command syntax. No output
// may carry a raw control, bidi or separator character (ESC only in our own colours), Markdown may
// make no link, image or foreign HTML, each annotation stays one well-formed line, and the JSON
// keeps every string exactly. Seeded like fuzz.test.ts (ENV_AUDIT_FUZZ_SEED).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/model.js';
import { atOrAbove } from '../../src/report/util.js';
import { escapeUntrusted } from '../../src/report/escape.js';
import { renderExplain } from '../../src/report/explain.js';
import { renderGithubAnnotations } from '../../src/report/github.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderTable } from '../../src/report/table.js';
import { sampleReport } from '../report/fixtures.js';
import { markdownProblems, outputProblems } from './output-checks.js';
import { prng } from './tree.js';

const REPORTS = 300;
const SEED = process.env.ENV_AUDIT_FUZZ_SEED ? Number(process.env.ENV_AUDIT_FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;

const PIECES = [
  '\x1b[31m', '\x1b[2J', '\x1b]0;title\x07', '\x1b]8;;https://attacker.invalid\x1b\\', '\x1bP', '\x07', '\x08', '\x00', '\r', '\n', '\r\n', '\t',
  '\x7f', '\u0085', '\u009b', '\u009d', '\u00ad', '\u061c', '\u200b', '\u200e', '\u202a', '\u202e', '\u2066', '\u2069', '\u2028', '\u2029',
  '\ufeff', '\ufff9', '\ud800', '\udc00', '\ud83d\ude00', '::error::', '::warning file=x::', '%0A', '%25', ',', ':', '|', '`', '``',
  '[x](https://attacker.invalid)', '![i](https://attacker.invalid/i.png)', '<img src=x onerror=alert(1)>', '</details>', '<details>',
  '<script>', '&lt;', '@octocat', '#123', 'GH-1', 'www.attacker.invalid', 'https://attacker.invalid', '*', '_', '~', '\\', '-', '1.',
  '# ', '> ', '"', "'", '$', '{', '}', '</summary>', 'NPM_TOKEN', 'a', 'pkg', ' ', '  ', '\u00e9', '\u4e2d',
];

function hostile(next: () => number): string {
  let s = '';
  for (let i = next() % 10; i > 0; i--) s += PIECES[next() % PIECES.length];
  return s;
}

/** The sample report with every package-provided string made hostile (snippets escaped, as the model promises). */
function hostileVariant(next: () => number): Report {
  const r = sampleReport();
  const h = () => hostile(next);
  const nonEmpty = () => h() || 'x';
  r.root = { ...r.root, name: nonEmpty(), version: h() };
  r.warnings = [h(), h()];
  for (const p of r.packages) {
    p.name = nonEmpty();
    p.version = h();
    p.location = `node_modules/${nonEmpty()}`;
    p.reasons = p.reasons.map(h);
    p.paths = p.paths.map((path) => path.map(nonEmpty));
    p.env = { ...p.env, reads: p.env.reads.map(nonEmpty), secretReads: p.env.secretReads.map(nonEmpty), writes: p.env.writes.map(nonEmpty) };
    if (p.warnings) p.warnings = p.warnings.map(h);
    if (p.integrity) p.integrity = h();
    for (const f of p.findings) {
      f.file = nonEmpty();
      f.detail = h();
      f.snippet = escapeUntrusted(h());
      if (f.message !== undefined) f.message = h();
      if (f.expectedReason !== undefined) f.expectedReason = h();
      if (f.flow) f.flow = { source: { ...f.flow.source, detail: h() }, sink: { ...f.flow.sink, detail: h() } };
    }
    for (const s of p.scoreBreakdown ?? []) {
      s.reason = h();
      s.file = nonEmpty();
    }
  }
  return r;
}

test(`every reporter escapes ${REPORTS} reports of hostile strings (seed ${SEED})`, (t) => {
  t.diagnostic(`seed ${SEED}: rerun with ENV_AUDIT_FUZZ_SEED=${SEED}`);
  const next = prng(SEED);
  for (let i = 0; i < REPORTS; i++) {
    const report = hostileVariant(next);
    const width = [undefined, 40, 80, 160][next() % 4];
    const at = `seed ${SEED}, report ${i}`;
    const problems: string[] = [];
    problems.push(...outputProblems('table (colour)', renderTable(report, { all: true, color: true, width }), { sgr: true }));
    problems.push(...outputProblems('table (piped lines)', renderTable(report, { all: true, color: next() % 2 === 0, layout: 'lines' }), { sgr: true }));
    const plain = renderTable(report, { all: true, color: false, width });
    problems.push(...outputProblems('table', plain));
    if (plain.includes('\x1b')) problems.push('table without colour holds ESC');
    for (const p of report.packages) problems.push(...outputProblems('explain', renderExplain(p, { color: next() % 2 === 0 }), { sgr: true }));
    const md = renderMarkdown(report);
    problems.push(...outputProblems('markdown', md), ...markdownProblems('markdown', md));
    const annotations = renderGithubAnnotations(report, 'low');
    problems.push(...outputProblems('annotations', annotations));
    const lines = annotations.split('\n').filter(Boolean);
    // one per package (at most 10), then one notice counting the rest
    const annotated = report.packages.filter((p) => atOrAbove(p.level, 'low'));
    const expected = Math.min(annotated.length, 10) + (annotated.length > 10 ? 1 : 0);
    if (lines.length !== expected) problems.push(`${lines.length} annotation lines for ${annotated.length} packages`);
    for (const [i, l] of lines.entries()) {
      const summary = annotated.length > 10 && i === lines.length - 1;
      const shape = summary ? /^::notice title=[^:,]*::/ : /^::(error|warning|notice) (file=[^,:]*,line=\d+,col=\d+,)?title=[^:,]*::/;
      if (!shape.test(l)) problems.push(`annotation ${JSON.stringify(l.slice(0, 160))}`);
    }
    const sarif = renderSarif(report);
    problems.push(...outputProblems('sarif', sarif));
    JSON.parse(sarif);
    const json = renderJson(report);
    problems.push(...outputProblems('json', json));
    assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(report)), `${at}: the JSON report changed a string`);
    if (problems.length) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-report-fuzz-'));
      fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report, null, 2));
      fs.writeFileSync(path.join(dir, 'report.md'), md);
      assert.deepEqual(problems, [], `${at}; the report and its Markdown are in ${dir}`);
    }
  }
});
