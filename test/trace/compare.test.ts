// The static/run-time comparison of one package, and how hidden-access findings score.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, PackageReport, RuntimeKind } from '../../src/model.js';
import { comparePackage, hiddenFinding, parseSite } from '../../src/trace/compare.js';
import { scorePackage } from '../../src/risk/score.js';
import { message } from '../../src/rules/index.js';
import type { TraceEvent } from '../../src/trace/read.js';
import { packageUnit } from '../helpers.js';

function ev(kind: RuntimeKind, name: string, extra: Partial<TraceEvent> = {}): TraceEvent {
  return { kind, package: 'p', location: 'node_modules/p', name, count: 1, site: 'lib/i.js:3:7', ...extra };
}

function report(findings: Finding[]): PackageReport {
  return scorePackage(packageUnit({ name: 'p' }), findings);
}

// static findings as the detectors make them: messageId and data (the scorer reads data)
const STATIC_MESSAGE: Partial<Record<Finding['rule'], [string, string]>> = {
  'env-read': ['read', 'name'], 'env-write': ['write', 'name'], network: ['module', 'module'], 'env-bulk': ['other', 'how'],
};

function f(rule: Finding['rule'], detail: string, extra: Partial<Finding> = {}): Finding {
  const m = STATIC_MESSAGE[rule];
  const structured = m ? message(rule, m[0], { [m[1]]: detail }) : { rule, detail };
  return { ...structured, file: 'lib/i.js', line: 1, column: 0, snippet: '', ...extra };
}

const staticPkg = report([f('env-read', 'A'), f('env-read', 'B'), f('env-write', 'W'), f('network', 'https')]);

// [case, static report, events, expected hidden details, expected statuses]
const CASES: [string, PackageReport, TraceEvent[], string[], Record<string, string>][] = [
  ['nothing ran: every static name is static-only', staticPkg, [], [], { A: 'static-only', B: 'static-only', network: 'static-only' }],
  ['a read both sides saw is confirmed', staticPkg, [ev('env-read', 'A', { count: 4 })], [], { A: 'confirmed', B: 'static-only' }],
  ['a name only the run read is hidden', staticPkg, [ev('env-read', 'C')], ['C'], { C: 'runtime-only' }],
  ['a capability the static side has is confirmed', staticPkg, [ev('network', 'https.request')], [], { network: 'confirmed' }],
  ['a capability only the run used is hidden', staticPkg, [ev('child-process', 'child_process.spawn', { target: 'git' })], ['child_process.spawn git'], { child_process: 'runtime-only' }],
  ['a credential file only the run read is hidden', staticPkg, [ev('credential-file', 'fs.readFileSync', { target: '~/.npmrc' })], ['~/.npmrc (fs.readFileSync)'], { filesystem_credentials: 'runtime-only' }],
  ['an enumeration only the run made is hidden', staticPkg, [ev('env-enumerate', '*')], ['the whole environment (enumerated at run time)'], { bulk: 'runtime-only' }],
  ['the env Node copies for a child is not an enumeration', staticPkg, [ev('env-enumerate', '*', { via: 'child_process' })], [], {}],
  ['a write only the run made is hidden', staticPkg, [ev('env-write', 'X', { op: 'set' }), ev('env-write', 'W')], ['X'], { W: 'confirmed', X: 'runtime-only' }],
  [
    'a static whole-env read claims every name, so a runtime name is listed but not hidden',
    report([f('env-bulk', 'Object.keys(process.env)')]),
    [ev('env-read', 'ANY'), ev('env-enumerate', '*')],
    [],
    { ANY: 'runtime-only', bulk: 'confirmed' },
  ],
  [
    'a family read claims the names it matches and is confirmed by the enumeration behind it',
    report([f('env-read', 'debug_*'), f('env-read', 'DEBUG')]),
    [ev('env-enumerate', '*'), ev('env-read', 'DEBUG_COLORS'), ev('env-read', 'OTHER')],
    ['OTHER'],
    { 'debug_*': 'confirmed', DEBUG_COLORS: 'confirmed', DEBUG: 'static-only', OTHER: 'runtime-only' },
  ],
];

for (const [name, pkg, events, hidden, statuses] of CASES) {
  test(`compare: ${name}`, () => {
    const r = comparePackage(pkg, events);
    assert.deepEqual(r.hidden.map((h) => h.detail), hidden);
    assert.equal(r.trace.seen, events.length > 0);
    const got: Record<string, string> = {};
    for (const x of [...r.trace.reads, ...r.trace.writes]) got[x.name] = x.status;
    for (const c of r.trace.capabilities) got[c.capability] = c.status;
    if (r.trace.bulk) got.bulk = r.trace.bulk;
    for (const [k, v] of Object.entries(statuses)) assert.equal(got[k], v, k);
  });
}

test('compare: counts of one name are summed over event lines', () => {
  const r = comparePackage(staticPkg, [ev('env-read', 'A', { count: 2 }), ev('env-read', 'A', { count: 3, site: 'other.js:1:1' })]);
  assert.equal(r.trace.reads.find((x) => x.name === 'A')?.count, 5);
});

test('hidden finding: V8 1-based column becomes the 0-based contract column; odd sites degrade', () => {
  assert.deepEqual(parseSite('lib/a:b.js:12:5'), { file: 'lib/a:b.js', line: 12, column: 4 });
  assert.deepEqual(parseSite('garbage'), { file: 'garbage', line: 1, column: 0 });
  const event = ev('env-read', 'C', { count: 2 });
  const h = hiddenFinding({ event, ...message('hidden-access', 'envRead', { name: 'C' }) }, (file, line) => `${file}#${line}`);
  assert.deepEqual([h.rule, h.messageId, h.data, h.detail, h.file, h.line, h.column, h.snippet, h.runtime], [
    'hidden-access', 'envRead', { name: 'C' }, 'C', 'lib/i.js', 3, 6, 'lib/i.js#3', { kind: 'env-read', name: 'C', count: 2 },
  ]);
});

const MESSAGE: Record<RuntimeKind, string> = {
  'env-read': 'envRead', 'env-write': 'envWrite', 'env-enumerate': 'envEnumerate', network: 'network', 'child-process': 'childProcess', 'credential-file': 'credentialFile',
};
const hidden = (kind: RuntimeKind, name: string): Finding => ({
  ...f('hidden-access', name),
  ...message('hidden-access', MESSAGE[kind], { name, api: name, program: 'x', path: name }),
  runtime: { kind, name, count: 1 },
});

test('score: hidden access raises the package (15, then 5 each, at most 25)', () => {
  const base = report([f('env-read', 'LOG_LEVEL')]);
  const one = report([f('env-read', 'LOG_LEVEL'), hidden('env-read', 'OTHER_SETTING')]);
  const many = report([f('env-read', 'LOG_LEVEL'), ...['A1', 'A2', 'A3', 'A4', 'A5'].map((n) => hidden('env-read', n))]);
  assert.equal(one.score - base.score, 15);
  assert.equal(many.score - base.score, 25);
  assert.ok(one.reasons.some((r) => r.startsWith('did at run time what the static analysis did not see: OTHER_SETTING')));
});

test('score: a hidden secret read with a static network capability is high; the capability counts', () => {
  const r = report([f('network', 'https'), hidden('env-read', 'NPM_TOKEN')]);
  assert.equal(r.level, 'high');
  assert.deepEqual(r.capabilities, ['env', 'network']);
  const r2 = report([f('env-read', 'NPM_TOKEN'), hidden('network', 'https.request')]);
  assert.equal(r2.level, 'high');
  assert.ok(r2.capabilities.includes('network'));
  // an ordinary name with hidden network is not a secret pairing
  assert.notEqual(report([f('env-read', 'LOG_LEVEL'), hidden('network', 'https.request')]).level, 'high');
});
