#!/usr/bin/env node
// Equality check for refactors of the analysis core: scan every fixture tree and the two shared
// bench trees with the built CLI and compare each JSON report with a baseline made from main
// before the change. Ordering, generatedAt, durationMs and the structured messageId/data fields of
// findings are ignored; anything else that differs is printed per package.
//   node bench/compare-baseline.mjs [BASELINE_DIR] [--only NAME,...]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set(args[onlyAt + 1].split(',')) : null;
const baseDir = args.find((a, i) => !a.startsWith('--') && i !== onlyAt + 1) ?? '/work/coord/baseline';
const TREES = [
  ...['attack', 'traps', 'hostile', 'tree-basic', 'diff-base', 'diff-head', 'policy-base', 'policy-head'].map((n) => [`fixture-${n}`, `fixtures/${n}`]),
  ['bench-small', '/work/coord/bench/small'],
  ['bench-large', '/work/coord/bench/large'],
];

/** Arrays compared as multisets; volatile and new structured fields dropped. */
function canon(v, key) {
  if (Array.isArray(v)) return v.map((x) => canon(x)).map((x) => JSON.stringify(x)).sort().map((s) => JSON.parse(s));
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) {
      if (k === 'generatedAt' || k === 'durationMs' || k === 'messageId' || (k === 'data' && key === 'finding')) continue;
      out[k] = canon(v[k], k === 'findings' || k === 'unresolved' ? 'finding' : k);
    }
    return out;
  }
  return v;
}
// findings sit in arrays: canon() is called on each element with no key, so tag them by shape
function canonReport(r) {
  const strip = (f) => { const { messageId, data, ...rest } = f; return rest; };
  for (const p of r.packages ?? []) p.findings = (p.findings ?? []).map(strip);
  // the root is given relative to where the scan ran
  if (r.root) delete r.root.path;
  return canon(r);
}

const tmp = mkdtempSync(join(tmpdir(), 'cmp-baseline-'));
let failed = 0;
try {
  for (const [name, dir] of TREES) {
    if (only && !only.has(name)) continue;
    const out = join(tmp, `${name}.json`);
    try {
      execFileSync('node', ['bin/env-audit.js', 'scan', dir, '--json', out, '--no-cache', '--quiet'], { stdio: 'ignore' });
    } catch {
      // a non-zero exit is a --fail-on verdict here, not an error: the report is still written
    }
    const base = canonReport(JSON.parse(readFileSync(join(baseDir, `${name}.json`), 'utf8')));
    const raw = JSON.parse(readFileSync(out, 'utf8'));
    const unstructured = raw.packages.flatMap((p) => p.findings).filter((f) => typeof f.messageId !== 'string' || !f.data);
    if (unstructured.length) {
      failed++;
      console.log(`  ${unstructured.length} findings without messageId/data, e.g. ${JSON.stringify(unstructured[0]).slice(0, 300)}`);
    }
    const now = canonReport(raw);
    const key = (p) => `${p.name}@${p.version} ${p.location}`;
    const bp = new Map(base.packages.map((p) => [key(p), p]));
    const np = new Map(now.packages.map((p) => [key(p), p]));
    const diffs = [];
    for (const k of new Set([...bp.keys(), ...np.keys()])) {
      const a = JSON.stringify(bp.get(k) ?? null);
      const b = JSON.stringify(np.get(k) ?? null);
      if (a !== b) diffs.push(k);
    }
    const { packages: _a, ...baseRest } = base;
    const { packages: _b, ...nowRest } = now;
    const restSame = JSON.stringify(baseRest) === JSON.stringify(nowRest);
    console.log(`${name}: ${diffs.length === 0 && restSame ? 'identical' : `DIFFERENT (${diffs.length} packages${restSame ? '' : ', summary/warnings'})`}`);
    if (!restSame) console.log(`  base: ${JSON.stringify(baseRest).slice(0, 600)}\n  now:  ${JSON.stringify(nowRest).slice(0, 600)}`);
    for (const k of diffs) {
      failed++;
      const a = bp.get(k);
      const b = np.get(k);
      console.log(`  ${k}`);
      if (!a || !b) { console.log(`    only in ${a ? 'baseline' : 'new report'}`); continue; }
      for (const field of Object.keys({ ...a, ...b })) {
        const x = JSON.stringify(a[field]);
        const y = JSON.stringify(b[field]);
        if (x === y) continue;
        if (Array.isArray(a[field]) && Array.isArray(b[field])) {
          const xs = new Set(a[field].map((e) => JSON.stringify(e)));
          const ys = new Set(b[field].map((e) => JSON.stringify(e)));
          for (const e of xs) if (!ys.has(e)) console.log(`    - ${field}: ${e.slice(0, 400)}`);
          for (const e of ys) if (!xs.has(e)) console.log(`    + ${field}: ${e.slice(0, 400)}`);
        } else console.log(`    ${field}: ${x?.slice(0, 200)} → ${y?.slice(0, 200)}`);
      }
    }
    if (!restSame) failed++;
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
