// The hand-written walker must enter exactly the nodes acorn-walk's `base` enters, in the same
// order and with the same ancestors: every detector was written against that contract. The
// reference below is the walker we had before (acorn-walk's base with pseudo-type overrides),
// compared on code covering every ESTree node type and on real installed packages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { base } from 'acorn-walk';
import { parseSource } from '../../src/analyze/parse.js';
import { walkAst } from '../../src/analyze/walk.js';
import type { AstNode } from '../../src/analyze/ast.js';

type BaseFn = (node: AstNode, st: unknown, c: (n: AstNode, st: unknown, override?: string) => void) => void;
const BASE = base as unknown as Record<string, BaseFn>;

function referenceTrace(ast: AstNode): string[] {
  const out: string[] = [];
  const ancestors: AstNode[] = [];
  const c = (node: AstNode, st: unknown, override?: string): void => {
    if (override) {
      const fn = BASE[override];
      if (fn) fn(node, st, c);
      return;
    }
    ancestors.push(node);
    out.push(`> ${node.type}@${node.start} d${ancestors.length}`);
    const fn = BASE[node.type];
    if (fn) fn(node, st, c);
    out.push(`< ${node.type}@${node.start}`);
    ancestors.pop();
  };
  c(ast, null);
  return out;
}

function trace(ast: AstNode): string[] {
  const out: string[] = [];
  walkAst(ast, {
    enter(node, anc) {
      assert.equal(anc[anc.length - 1], node);
      out.push(`> ${node.type}@${node.start} d${anc.length}`);
    },
    leave(node) {
      out.push(`< ${node.type}@${node.start}`);
    },
  });
  return out;
}

function same(code: string, label: string): number {
  const parsed = parseSource(code, 'commonjs');
  if (!parsed.ok) {
    // real files may be beyond acorn; the hand-written samples must parse
    assert.ok(!label.endsWith('sample'), `${label}: ${parsed.message} at ${parsed.line}:${parsed.column}`);
    return 0;
  }
  const want = referenceTrace(parsed.ast);
  const got = trace(parsed.ast);
  if (got.length !== want.length || got.some((x, i) => x !== want[i])) {
    const i = got.findIndex((x, k) => x !== want[k]);
    assert.fail(`${label}: walkers differ at event ${i}: got ${got[i]}, want ${want[i]}`);
  }
  return want.length;
}

const EVERY_NODE_TYPE = String.raw`#!/usr/bin/env node
import def, { a as b, c } from 'm1';
import * as ns from 'm2' with { type: 'json' };
export * from 'm3';
export * as star from 'm4';
export { b as bee, c };
export { x as y } from 'm5';
export default class extends Base { static #p = 1; static { init(); } [k] = v; get g() { return this.#p; } m(...r) { super.m(); } }
export const { d = 1, e: [f, , ...g], ...h } = obj, [i = 2] = arr;
export function fn(p1, { q = 3, [key]: r } = {}, ...rest) { return new.target; }
label: for (let i = 0, j; i < n; i++, j--) { if (i) continue label; else break label; }
for (x in o) ; for (const [k2, v2] of Object.entries(o)) debugger;
for (a.b of c) {}
while (w) do { w--; } while (w > 0);
switch (s) { case 1: { let t = 1; } default: throw new Error(` + '`t ${s} ${s + 1}`' + String.raw`); }
try { risky(); } catch ({ message }) { log(message); } finally { done(); }
try { x(); } catch { }
({ a, b: 2, [c]: 3, ...d, m() {}, get n() { return 1; }, async *o() { yield* p; await q; } });
[a, b] = [c, ...d]; ({ a: e.f, ...g.h } = obj); a.b = 1; a[b] += 2; x = y; x ||= y;
const arrow = async (u = 1) => u ?? (await import('m6', { with: { type: 'json' } }));
tag` + '`a${b}c`' + String.raw`; a?.b?.[c]?.(d); (a, b); void 0; typeof t; delete o.p; -x; !y; ++z; z--;
cond ? yes : no; a instanceof B && c in d || e;
with (obj) { prop; }
class K { constructor() {} static s() {} }
const fe = function named() { return import.meta.url; };
/re/g.test(s); 10n; 0x1F; 'str'; null;
`;

test('walker: every ESTree node type, same nodes and order as acorn-walk', () => {
  // `with` needs the script goal: compare that part on its own
  const withLess = EVERY_NODE_TYPE.replace('with (obj) { prop; }', '');
  assert.ok(same(withLess, 'module sample') > 400, 'the sample exercises the walker');
  assert.ok(same('with (obj) { prop; } var o = 010; function f(a, a) {} for (var z = 1 in o) {}', 'script sample') > 10);
});

test('walker: real installed packages give the same walk as acorn-walk', () => {
  const require = createRequire(import.meta.url);
  const roots = ['acorn', 'semver', 'cli-table3', '@npmcli/arborist', 'pacote', 'marked'];
  let events = 0;
  let files = 0;
  for (const name of roots) {
    const dir = path.dirname(require.resolve(`${name}/package.json`));
    const stack = [dir];
    while (stack.length) {
      const d = stack.pop()!;
      for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, ent.name);
        if (ent.isDirectory() && ent.name !== 'node_modules') stack.push(p);
        else if (ent.isFile() && /\.(c|m)?js$/.test(ent.name) && fs.statSync(p).size < 400_000) {
          events += same(fs.readFileSync(p, 'utf8'), p);
          files++;
        }
      }
    }
  }
  assert.ok(files > 100, `walked ${files} files`);
  assert.ok(events > 100_000, `compared ${events} events`);
});
