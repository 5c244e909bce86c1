// The attack and trap trees document what each package must produce (envAuditExpect in its
// package.json); this test holds the whole pipeline — detectors, risk model — to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture, runCli } from '../helpers.js';
import { LEVELS, type Level, type PackageReport, type Report } from '../../src/model.js';

interface Expect {
  minLevel?: Level;
  maxLevel?: Level;
  rules?: string[];
  mustNotHave?: string[];
  reads?: string[];
  technique?: string;
}

const rank = (l: Level): number => LEVELS.length - 1 - LEVELS.indexOf(l);

function scan(tree: string): Report {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-exp-')), 'r.json');
  const r = runCli(['scan', tree, '--json', out, '--quiet', '--no-cache']);
  assert.ok(fs.existsSync(out), r.stderr);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as Report;
}

function expectations(tree: string): { name: string; expect: Expect }[] {
  const out: { name: string; expect: Expect }[] = [];
  const nm = path.join(tree, 'node_modules');
  const visit = (dir: string): void => {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      const pkg = JSON.parse(fs.readFileSync(pj, 'utf8')) as { name: string; envAuditExpect?: Expect };
      if (pkg.envAuditExpect) out.push({ name: pkg.name, expect: pkg.envAuditExpect });
    }
  };
  for (const entry of fs.readdirSync(nm)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const sub of fs.readdirSync(path.join(nm, entry))) visit(path.join(nm, entry, sub));
    else visit(path.join(nm, entry));
  }
  return out;
}

function check(pkg: PackageReport | undefined, name: string, e: Expect): void {
  assert.ok(pkg, `${name} was not scanned`);
  const rules = new Set(pkg.findings.map((f) => f.rule));
  const why = `${name} (${e.technique ?? ''}): level ${pkg.level} score ${pkg.score}; rules ${[...rules].join(', ')}; reasons: ${pkg.reasons.slice(0, 3).join(' | ')}`;
  if (e.minLevel) assert.ok(rank(pkg.level) >= rank(e.minLevel), `expected at least ${e.minLevel}: ${why}`);
  if (e.maxLevel) assert.ok(rank(pkg.level) <= rank(e.maxLevel), `expected at most ${e.maxLevel}: ${why}`);
  for (const r of e.rules ?? []) assert.ok(rules.has(r as never), `expected rule ${r}: ${why}`);
  for (const r of e.mustNotHave ?? []) assert.ok(!rules.has(r as never), `must not have ${r}: ${why}`);
  for (const n of e.reads ?? []) assert.ok(pkg.env.reads.includes(n), `expected to read ${n}: ${why}`);
}

for (const tree of ['attack', 'traps']) {
  const dir = fixture(tree);
  const report = scan(dir);
  for (const { name, expect } of expectations(dir)) {
    test(`${tree}: ${name} — ${expect.technique ?? ''}`.slice(0, 160), () => {
      check(report.packages.find((p) => p.name === name), name, expect);
    });
  }
}
