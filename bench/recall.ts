// `npm run bench:recall`: how many of the env names real packages read does the static report name?
//
//   node dist/bench/recall.js [--json FILE] [--verbose]
//
// The tree pinned in bench/recall/ (packages that read the environment when they are loaded) is
// installed once into .bench/recall/ with `npm ci --ignore-scripts`. Then:
//   static   env-audit scans the tree (no cache) and lists each package's env reads;
//   runtime  each direct dependency is loaded (require, else import) in its own child Node process
//            with the run-time recorder (src/trace/recorder.cts) preloaded, which attributes every
//            env read to the package whose code made it. Values are never recorded, only names.
// Recall compares the two per package location (a read a dependency makes while another package
// loads counts for that dependency): over the observed names that appear literally in the
// package's own files (the target: >= 0.97), and over all observed names. Every miss is listed.
// This runs code of well-known packages on purpose: it is a benchmark, never part of a scan.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readTrace } from '../src/trace/read.js';
import { installPinned } from './trees.js';

const HERE = path.dirname(fileURLToPath(import.meta.url)); // dist/bench
const REPO = path.resolve(HERE, '..', '..');
const BIN = path.join(REPO, 'bin', 'env-audit.js');
const RECORDER = path.join(REPO, 'dist', 'src', 'trace', 'recorder.cjs');
const LITERAL_TARGET = 0.97;
const LOAD_TIMEOUT_MS = 30_000;
const CODE_FILE = /\.(?:c|m)?js$/;
const WORD_CHAR = /[\w$]/;

/** What a child process runs: load one package by name from the tree's root, then leave. */
const LOADER = `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const name = process.argv[2];
try {
  require(name);
} catch (e) {
  if (!e || !/^ERR_(REQUIRE_ESM|REQUIRE_ASYNC_MODULE|PACKAGE_PATH_NOT_EXPORTED)$/.test(e.code)) throw e;
  await import(name);
}
// let work the load scheduled run, then exit so that open handles cannot keep the child alive
setTimeout(() => process.exit(0), 300);
`;

interface PackageRecall {
  location: string;
  name: string;
  observed: string[];
  literal: string[];
  staticReads: number;
  missedLiteral: string[];
  missedOther: string[];
}

interface StaticPackage {
  name: string;
  location: string;
  env: { reads: string[] };
}

function log(line: string): void {
  process.stderr.write(line + '\n');
}

function staticReads(tree: string): Map<string, StaticPackage> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-recall-')), 'report.json');
  const res = spawnSync(process.execPath, [BIN, 'scan', tree, '--json', out, '--no-cache', '--quiet'], { stdio: 'inherit' });
  if (res.status !== 0 && res.status !== 1) throw new Error(`env-audit scan exited with ${res.status ?? res.signal}`);
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { packages: StaticPackage[] };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return new Map(report.packages.map((p) => [p.location, p]));
}

/** Load every direct dependency under the recorder; returns observed names per location. */
function runtimeReads(tree: string, names: string[]): Map<string, { name: string; names: Set<string> }> {
  const loader = path.join(tree, '.recall-load.mjs');
  fs.writeFileSync(loader, LOADER);
  const traceFile = path.join(tree, '.recall-trace.jsonl');
  fs.rmSync(traceFile, { force: true });
  for (const name of names) {
    const res = spawnSync(process.execPath, [loader, name], {
      cwd: tree,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: LOAD_TIMEOUT_MS,
      // a small, secret-free environment: the recorder sees reads whether or not a name is set
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: os.tmpdir(),
        NODE_OPTIONS: `--require ${JSON.stringify(RECORDER)}`,
        ENV_AUDIT_TRACE_FILE: traceFile,
        ENV_AUDIT_TRACE_ROOT: tree,
      },
    });
    if (res.status !== 0) log(`  ${name}: load exited with ${res.status ?? res.signal}: ${String(res.stderr).split('\n')[0]}`);
  }
  const byLocation = new Map<string, { name: string; names: Set<string> }>();
  for (const e of readTrace(traceFile).events) {
    if (e.kind !== 'env-read' || e.package === null) continue;
    let entry = byLocation.get(e.location);
    if (!entry) byLocation.set(e.location, (entry = { name: e.package, names: new Set() }));
    entry.names.add(e.name);
  }
  return byLocation;
}

/** The package's own code files (not nested node_modules), as text, for the literal check. */
function packageText(dir: string): string {
  const parts: string[] = [];
  const walk = (d: string): void => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      if (ent.isDirectory()) {
        if (ent.name !== 'node_modules') walk(path.join(d, ent.name));
      } else if (ent.isFile() && CODE_FILE.test(ent.name)) {
        parts.push(fs.readFileSync(path.join(d, ent.name), 'latin1'));
      }
    }
  };
  walk(dir);
  return parts.join('\n');
}

/** The name stands in the text as a whole word (`NODE` does not count inside `NODE_ENV`). */
function appearsAsWord(text: string, name: string): boolean {
  for (let i = text.indexOf(name); i !== -1; i = text.indexOf(name, i + 1)) {
    if (!WORD_CHAR.test(text[i - 1] ?? ' ') && !WORD_CHAR.test(text[i + name.length] ?? ' ')) return true;
  }
  return false;
}

/** A static read covers a name exactly, or as a family (`debug_*`). */
function covers(reads: string[], name: string): boolean {
  return reads.some((r) => r === name || (r.endsWith('*') && name.startsWith(r.slice(0, -1))));
}

function compare(tree: string, observed: Map<string, { name: string; names: Set<string> }>, stat: Map<string, StaticPackage>): PackageRecall[] {
  const rows: PackageRecall[] = [];
  for (const [location, obs] of [...observed].sort(([a], [b]) => a.localeCompare(b))) {
    const reads = stat.get(location)?.env.reads ?? [];
    const text = packageText(path.join(tree, location));
    const names = [...obs.names].sort();
    const literal = names.filter((n) => appearsAsWord(text, n));
    rows.push({
      location,
      name: obs.name,
      observed: names,
      literal,
      staticReads: reads.length,
      missedLiteral: literal.filter((n) => !covers(reads, n)),
      missedOther: names.filter((n) => !literal.includes(n) && !covers(reads, n)),
    });
  }
  return rows;
}

function ratio(found: number, total: number): number {
  return total === 0 ? 1 : found / total;
}

function main(): void {
  const { values } = parseArgs({ options: { json: { type: 'string' }, verbose: { type: 'boolean', default: false } } });
  if (!fs.existsSync(RECORDER)) throw new Error(`${RECORDER} not found: run npm run build first`);
  const src = path.join(REPO, 'bench', 'recall');
  const tree = installPinned(src, path.join(REPO, '.bench', 'recall'), { repoRoot: REPO, log, label: 'recall tree' });
  const direct = Object.keys((JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
  log(`static: scanning ${path.relative(REPO, tree)}`);
  const stat = staticReads(tree);
  log(`runtime: loading ${direct.length} packages under the recorder`);
  const rows = compare(tree, runtimeReads(tree, direct), stat);

  const lit = rows.reduce((n, r) => n + r.literal.length, 0);
  const litMissed = rows.reduce((n, r) => n + r.missedLiteral.length, 0);
  const all = rows.reduce((n, r) => n + r.observed.length, 0);
  const allMissed = litMissed + rows.reduce((n, r) => n + r.missedOther.length, 0);
  const result = {
    packagesLoaded: direct.length,
    packagesObserved: rows.length,
    literal: { names: lit, found: lit - litMissed, recall: ratio(lit - litMissed, lit), target: LITERAL_TARGET },
    all: { names: all, found: all - allMissed, recall: ratio(all - allMissed, all) },
    packages: rows,
  };
  for (const r of rows) {
    if (!values.verbose && !r.missedLiteral.length && !r.missedOther.length) continue;
    console.log(`${r.location}  observed ${r.observed.length}, literal ${r.literal.length}, static ${r.staticReads}`);
    if (r.missedLiteral.length) console.log(`  missed (literal in its code): ${r.missedLiteral.join(', ')}`);
    if (r.missedOther.length) console.log(`  missed (not literal): ${r.missedOther.join(', ')}`);
  }
  console.log(`\n${rows.length} packages read the environment while ${direct.length} packages loaded`);
  console.log(`literal recall ${result.literal.recall.toFixed(3)} (${result.literal.found}/${lit}; target >= ${LITERAL_TARGET}: ${result.literal.recall >= LITERAL_TARGET ? 'met' : 'NOT met'})`);
  console.log(`all-names recall ${result.all.recall.toFixed(3)} (${result.all.found}/${all})`);
  const outFile = values.json ?? path.join(REPO, '.bench', 'recall-last.json');
  fs.writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
  log(`written: ${path.relative(process.cwd(), outFile)}`);
}

main();
