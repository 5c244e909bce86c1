// The test command: `node dist/test/run.js [--unit] [node --test options]` after a build.
// Runs every test/**/*.test.ts (compiled under dist/test/) with node's test runner, several files
// at a time. Files come from the source tree, so helpers are never run as tests and a deleted
// test's stale .js in dist/ is not run either. --unit leaves out the folders that run the real CLI
// in child processes over whole trees (SLOW_FOLDERS): the fast inner loop. Files in RUN_ALONE
// assert on time and memory limits (a 30 s per-file timeout must not fire before a 384 MB heap
// runs out), so they run after the others, with the machine to themselves.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './helpers.js';

const SLOW_FOLDERS = ['e2e', 'hostile'];
const RUN_ALONE = ['test/hostile/hostile-scan.test.ts'];

function testFiles(dir: string, unit: boolean): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (unit && dir === path.join(repoRoot, 'test') && SLOW_FOLDERS.includes(entry.name)) continue;
      out.push(...testFiles(full, unit));
    } else if (entry.name.endsWith('.test.ts')) {
      out.push(path.relative(repoRoot, full).split(path.sep).join('/'));
    }
  }
  return out.sort();
}

const compiled = (file: string): string => path.join(repoRoot, 'dist', file.replace(/\.ts$/, '.js'));

function nodeTest(files: string[], concurrency: number, passThrough: string[]): number {
  if (!files.length) return 0;
  const r = spawnSync(
    process.execPath,
    ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...passThrough, ...files.map(compiled)],
    { stdio: 'inherit' },
  );
  return r.status ?? 1;
}

const args = process.argv.slice(2);
const unit = args.includes('--unit');
const passThrough = args.filter((a) => a !== '--unit');
// Test files are separate processes and spend much of their time waiting on child CLIs, so one
// more than the cores keeps the machine busy; ENV_AUDIT_TEST_CONCURRENCY overrides it.
const concurrency = Number(process.env.ENV_AUDIT_TEST_CONCURRENCY) || os.availableParallelism() + 1;
const files = testFiles(path.join(repoRoot, 'test'), unit);
const missing = files.filter((f) => !fs.existsSync(compiled(f)));
if (missing.length) {
  process.stderr.write(`not built (run "npm run build"): ${missing.join(', ')}\n`);
  process.exit(2);
}
const alone = files.filter((f) => RUN_ALONE.includes(f));
const together = nodeTest(files.filter((f) => !alone.includes(f)), concurrency, passThrough);
if (alone.length) process.stdout.write(`\nrun alone (time and memory limits): ${alone.join(', ')}\n`);
const apart = nodeTest(alone, 1, passThrough);
process.exitCode = together || apart;
