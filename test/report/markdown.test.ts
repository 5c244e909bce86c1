import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marked, type Tokens } from 'marked';
import { codeSpan, escapeHtml, escapeMarkdown, renderMarkdown } from '../../src/report/markdown.js';
import { EVIL, assertNoControlChars, hostileReport, sampleReport } from './fixtures.js';
import { allTokens, OUR_HTML } from './markdown-tokens.js';



const ALLOWED_ELEMENTS = new Set([
  'h2', 'h3', 'p', 'ul', 'li', 'strong', 'em', 'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary',
]);

/** Nothing but our own <details>/<summary>/<code> may be HTML; nothing may be a link or image. */
function assertOnlyOurHtml(md: string): void {
  const tokens = allTokens(marked.lexer(md));
  for (const t of tokens) {
    assert.notEqual(t.type, 'link', `link: ${t.raw}`);
    assert.notEqual(t.type, 'image', `image: ${t.raw}`);
    if (t.type === 'html') assert.match(t.raw, OUR_HTML);
  }
  // In the rendered HTML every element must be one Markdown itself makes (or our summary's),
  // with no attribute but the table alignment marked adds.
  const html = marked.parse(md, { async: false });
  for (const m of html.matchAll(/<\/?([A-Za-z][\w-]*)([^>]*)>/g)) {
    assert.ok(ALLOWED_ELEMENTS.has(m[1].toLowerCase()), `element <${m[1]}> in ${m[0]}`);
    assert.match(m[2], /^(\s+align="(left|right|center)")?\s*$/, `attributes in ${m[0]}`);
  }
  assertNoControlChars(html, 'rendered HTML');
}

function tables(md: string): Tokens.Table[] {
  return marked.lexer(md).filter((t): t is Tokens.Table => t.type === 'table');
}

const cellText = (c: Tokens.TableCell) => c.text;

test('title, counts, a table of every package at medium or above, riskiest first; low counted', () => {
  const md = renderMarkdown(sampleReport(), { title: 'Dependency env audit' });
  const tokens = marked.lexer(md);
  assert.equal(tokens[0].type, 'heading');
  assert.equal((tokens[0] as Tokens.Heading).text, 'Dependency env audit');
  assert.match(marked.parse(md, { async: false }), /812 packages, 23,110 files \(187 MB\) scanned in 4\.1s: 1 critical, 1 high, 1 medium, 1 low, 808 none\./);
  const [t] = tables(md);
  assert.ok(t);
  assert.deepEqual(t.header.map(cellText), ['Package', 'Level', 'Score', 'Env vars', 'Capabilities', 'Reason']);
  assert.deepEqual(
    t.rows.map((r) => r[0].text),
    ['`evil-pkg@1.0.0`', '`@sentry/node@7.100.0`', '`config-loader@2.1.0` (dev)'],
  );
  assert.deepEqual(t.rows.map((r) => r[2].text), ['96', '62', '40']);
  assert.match(md, /^1 package below medium not listed/m);
  assert.equal(tables(renderMarkdown(sampleReport(), { minLevel: 'low' }))[0].rows.length, 4);
  assert.ok(t.rows.every((r) => r.length === 6));
  assert.ok(!md.includes('left-pad'), 'level none is not listed');
});

test('one collapsed <details> block per listed package, with reasons, findings and paths', () => {
  const md = renderMarkdown(sampleReport());
  const html = marked.parse(md, { async: false });
  assert.equal(html.match(/<details>/g)?.length, 3);
  assert.match(md, /\*\*Findings\*\* \(env-read 3, child-process 1, /);
  assert.match(md, /<details><summary><code>evil-pkg@1\.0\.0<\/code> · critical · score 96<\/summary>/);
  assert.match(html, /<code>setup\.js:19:3<\/code> · <strong>exfiltration<\/strong> · process\.env\.NPM_TOKEN \(line 4\) → https\.request body \(line 19\) · <code>req\.write\(data\)<\/code>/);
  assert.match(html, /<em>\(install time\)<\/em>/);
  assert.match(html, /<em>\(unreachable\)<\/em>/);
  assert.match(html, /<em>\(expected: vendor SDK reading its own prefix\)<\/em>/);
  assert.match(html, /my-app › useful-lib › evil-pkg/);
  assertOnlyOurHtml(md);
});

test('new or changed packages come first, under their own heading', () => {
  const md = renderMarkdown(sampleReport(), { newOrChanged: new Set(['debug@4.3.4', 'config-loader@2.1.0', 'not-there@1.0.0']) });
  const headings = marked.lexer(md).filter((t): t is Tokens.Heading => t.type === 'heading').map((h) => h.text);
  assert.deepEqual(headings.slice(1), ['New or changed risk', 'Other packages at medium or above']);
  const [fresh, rest] = tables(md);
  assert.deepEqual(fresh.rows.map((r) => r[0].text), ['`config-loader@2.1.0` (dev)', '`debug@4.3.4`']);
  assert.deepEqual(rest.rows.map((r) => r[0].text), ['`evil-pkg@1.0.0`', '`@sentry/node@7.100.0`']);
});

test('nothing at medium or above: a sentence, no table', () => {
  const r = sampleReport();
  r.packages = r.packages.filter((p) => p.level === 'none' || p.level === 'low');
  const md = renderMarkdown(r);
  assert.equal(tables(md).length, 0);
  assert.match(md, /No package at level medium or above\./);
  assert.match(md, /1 package below medium/);
});

test('hostile package: text only — no HTML, links, images, broken table or raw control bytes', () => {
  const md = renderMarkdown(hostileReport(), { title: EVIL.name });
  assertNoControlChars(md, 'markdown');
  assertOnlyOurHtml(md);
  const [t] = tables(md);
  assert.ok(t);
  assert.equal(t.rows.length, 1, 'the hostile row did not split or swallow rows');
  assert.equal(tables(renderMarkdown(hostileReport(), { minLevel: 'low' }))[0].rows.length, 2);
  assert.ok(t.rows.every((r) => r.length === 6), 'every row still has 6 cells');
  const html = marked.parse(md, { async: false });
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the tag is shown as text');
  assert.ok(html.includes('\\x1b[31m'), 'ESC is shown as a visible escape');
  assert.ok(html.includes('\\u202e'), 'the bidi override is shown as a visible escape');
  // The hostile name renders as exactly its escaped text in the first cell.
  const cellHtml = marked.parser([t]);
  assert.ok(cellHtml.includes('<code>&lt;img src=x onerror=alert(1)&gt;|`x`\\x1b[31m\\u202eevil@1.0.0'), cellHtml);
});

test('escapeMarkdown: no autolinks, mentions or issue links in prose', () => {
  for (const text of ['see http://evil.example/x', 'www.evil.example', 'mail user@evil.example', 'ping @someone', 'fixes #12', '<https://x.y>']) {
    const html = marked.parse(`- ${escapeMarkdown(text)}`, { async: false });
    assert.doesNotMatch(html, /<a\b/, `${text} → ${html}`);
  }
  const html = marked.parse(`- ${escapeMarkdown('ping @someone about #12')}`, { async: false });
  assert.match(html, /<code>@someone<\/code>/);
  assert.match(html, /<code>#12<\/code>/);
  for (const lead of ['- x', '+ x', '1. x', '2) x', '# x', '> x', '---', '***', '=== ']) {
    const tokens = marked.lexer(escapeMarkdown(lead));
    assert.equal(tokens.length, 1, lead);
    assert.equal(tokens[0].type, 'paragraph', `${lead} → ${tokens[0].type}`);
  }
});

test('codeSpan shows backticks, pipes and tags literally', () => {
  for (const text of ['a`b', '``x``', '`edge`', 'a | b', '<script>', '\u001b[31mred']) {
    const html = marked.parseInline(codeSpan(text), { async: false });
    assert.match(html, /^<code>[^]*<\/code>$/, `${text} → ${html}`);
    assert.doesNotMatch(html, /<script/);
  }
  assert.equal(marked.parseInline(codeSpan('a`b'), { async: false }), '<code>a`b</code>');
  assert.equal(marked.parseInline(codeSpan('`edge`'), { async: false }), '<code>`edge`</code>');
  const row = `| h |\n| --- |\n| ${codeSpan('a|b', { table: true })} |\n`;
  const [t] = tables(row);
  assert.equal(t.rows[0].length, 1);
  assert.equal(marked.parser([t]).includes('<code>a|b</code>'), true);
});

test('escapeHtml for the raw-HTML summary', () => {
  assert.equal(escapeHtml('<img src=x onerror="a">&\u001b'), '&lt;img src=x onerror=&quot;a&quot;&gt;&amp;\\x1b');
});

test('a huge report still fits in a GitHub comment, and lists every package of a large tree at medium or above', () => {
  const r = sampleReport();
  const evil = r.packages[0];
  const many = Array.from({ length: 200 }, (_, i) => ({
    ...evil,
    name: `pkg-${i}`,
    findings: Array.from({ length: 40 }, (_, j) => ({ ...evil.findings[0], line: j + 1, snippet: 'x'.repeat(150) })),
  }));
  r.packages = many;
  const md = renderMarkdown(r);
  assert.ok(md.length <= 65_536, String(md.length));
  assert.equal(tables(md)[0].rows.length, 200, 'every package is in the table');
  assert.match(md, /Details of \d+ more packages left out to fit/);
  assertOnlyOurHtml(md);
  // 60 packages with many findings each (the large bench tree's count): all in the table, all with details
  r.packages = many.slice(0, 60);
  const sixty = renderMarkdown(r);
  assert.ok(sixty.length <= 65_536, String(sixty.length));
  assert.equal(tables(sixty)[0].rows.length, 60);
  assert.equal(sixty.match(/<details>/g)?.length, 60);
});
