#!/usr/bin/env node
// Equality check for refactors of the analysis core: scan every fixture tree (and any bench trees
// given) with a built CLI and compare each JSON report with a baseline made the same way from main
// before the change. Ordering (arrays compared as multisets), generatedAt, durationMs and the
// scanned root's path are ignored; anything else that differs is printed per package.
//
//   node bench/compare-baseline.mjs --save DIR [options]   write this build's reports to DIR
//   node bench/compare-baseline.mjs DIR [options]          compare this build's reports with DIR
// options:
//   --cli FILE         the CLI to run (default: this checkout's bin/env-audit.js); a main worktree's
//                      bin/env-audit.js makes the baseline of the commit it is at
//   --bench DIR        also scan DIR/small and DIR/large (as bench-small, bench-large)
//   --tree NAME=PATH   also scan PATH as NAME (repeatable)
//   --only NAME,...    only these trees
// Exit code 1 when any report differs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE_TREES = ['attack', 'traps', 'hostile', 'tree-basic', 'diff-base', 'diff-head', 'policy-base', 'policy-head'];

function usage(msg) {
  console.error(`${msg}\nusage: node bench/compare-baseline.mjs (--save DIR | DIR) [--cli FILE] [--bench DIR] [--tree NAME=PATH]... [--only NAME,...]`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { save: null, baseDir: null, cli: join(repo, 'bin/env-audit.js'), trees: FIXTURE_TREES.map((n) => [`fixture-${n}`, join(repo, 'fixtures', n)]), only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--save') opts.save = resolve(value());
    else if (a === '--cli') opts.cli = resolve(value());
    else if (a === '--bench') {
      const dir = resolve(value());
      opts.trees.push(['bench-small', join(dir, 'small')], ['bench-large', join(dir, 'large')]);
    } else if (a === '--tree') {
      const [name, path] = value().split('=');
      if (!name || !path) usage('--tree takes NAME=PATH');
      opts.trees.push([name, resolve(path)]);
    } else if (a === '--only') opts.only = new Set(value().split(','));
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (opts.baseDir === null) opts.baseDir = resolve(a);
    else usage(`unexpected argument ${a}`);
  }
  if ((opts.save === null) === (opts.baseDir === null)) usage('give either --save DIR or a baseline DIR');
  return opts;
}

/** Arrays compared as multisets; volatile fields dropped. */
function canon(v) {
  if (Array.isArray(v)) return v.map((x) => canon(x)).map((x) => JSON.stringify(x)).sort().map((s) => JSON.parse(s));
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) {
      if (k === 'generatedAt' || k === 'durationMs') continue;
      out[k] = canon(v[k]);
    }
    return out;
  }
  return v;
}

function canonReport(r) {
  // the root is given relative to where the scan ran
  if (r.root) delete r.root.path;
  return canon(r);
}

function scanTo(cli, dir, out) {
  try {
    execFileSync('node', [cli, 'scan', dir, '--json', out, '--no-cache', '--quiet'], { stdio: 'ignore' });
  } catch {
    // a non-zero exit is a --fail-on verdict here, not an error: the report is still written
  }
}

/** Print how two canonical reports differ; returns the number of differences. */
function compare(name, base, now) {
  const key = (p) => `${p.name}@${p.version} ${p.location}`;
  const bp = new Map(base.packages.map((p) => [key(p), p]));
  const np = new Map(now.packages.map((p) => [key(p), p]));
  const diffs = [...new Set([...bp.keys(), ...np.keys()])].filter((k) => JSON.stringify(bp.get(k) ?? null) !== JSON.stringify(np.get(k) ?? null));
  const { packages: _a, ...baseRest } = base;
  const { packages: _b, ...nowRest } = now;
  const restSame = JSON.stringify(baseRest) === JSON.stringify(nowRest);
  console.log(`${name}: ${diffs.length === 0 && restSame ? 'identical' : `DIFFERENT (${diffs.length} packages${restSame ? '' : ', summary/warnings'})`}`);
  if (!restSame) console.log(`  base: ${JSON.stringify(baseRest).slice(0, 600)}\n  now:  ${JSON.stringify(nowRest).slice(0, 600)}`);
  for (const k of diffs) {
    const a = bp.get(k);
    const b = np.get(k);
    console.log(`  ${k}`);
    if (!a || !b) {
      console.log(`    only in ${a ? 'baseline' : 'new report'}`);
      continue;
    }
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
  return diffs.length + (restSame ? 0 : 1);
}

const opts = parseArgs(process.argv.slice(2));
const outDir = opts.save ?? mkdtempSync(join(tmpdir(), 'cmp-baseline-'));
mkdirSync(outDir, { recursive: true });
let failed = 0;
try {
  for (const [name, dir] of opts.trees) {
    if (opts.only && !opts.only.has(name)) continue;
    const out = join(outDir, `${name}.json`);
    scanTo(opts.cli, dir, out);
    if (opts.save) {
      console.log(`${name}: saved ${out}`);
      continue;
    }
    const raw = JSON.parse(readFileSync(out, 'utf8'));
    const unstructured = raw.packages.flatMap((p) => p.findings).filter((f) => typeof f.messageId !== 'string' || !f.data);
    if (unstructured.length) {
      failed++;
      console.log(`  ${unstructured.length} findings without messageId/data, e.g. ${JSON.stringify(unstructured[0]).slice(0, 300)}`);
    }
    failed += compare(name, canonReport(JSON.parse(readFileSync(join(opts.baseDir, `${name}.json`), 'utf8'))), canonReport(raw));
  }
} finally {
  if (!opts.save) rmSync(outDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
