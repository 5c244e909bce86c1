// Fail closed: each test is one reproduction from issue 17 in which a malicious or unanalysed
// package used to come out clean (exit 0). The real CLI runs in a child process on generated trees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { PackageReport, Report } from '../../src/model.js';
import { cliPath } from '../helpers.js';
import { validateReport } from '../report/validate.js';
import { runCliAsync, tmpDir, type CliResult } from '../policy/util.js';
import { STEALER_CODE, writeProject, writeWideTree } from './fail-closed-trees.js';

function reportOf(file: string): Report {
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
  assert.deepEqual(validateReport(report), []);
  return report;
}

const byLocation = (r: Report, loc: string): PackageReport | undefined => r.packages.find((p) => p.location === loc);

/** The CLI under a shell `ulimit -n` (a soft limit, as CI runners and macOS set it). */
function runLimited(limit: number, args: string[]): Promise<CliResult> {
  const quoted = [process.execPath, cliPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `ulimit -n ${limit} && exec ${quoted}`], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** What must not differ between two scans of the same tree (timings and dates aside). */
function stable(r: Report): unknown {
  return { packages: r.packages.map((p) => ({ ...p })), warnings: r.warnings ?? [], summary: { ...r.summary, durationMs: 0 } };
}

test('1,500 packages under ulimit -n 256 give the same report as without the limit', { skip: process.platform === 'win32' }, async () => {
  const root = writeWideTree(1500);
  const out = tmpDir();
  const args = (name: string) => ['scan', root, '--no-cache', '--fail-on', 'low', '--quiet', `--json=${path.join(out, name)}`];
  const limited = await runLimited(256, args('limited.json'));
  const free = await runCliAsync(args('free.json'));
  assert.equal(free.status, 1, free.stderr);
  assert.equal(limited.status, 1, limited.stderr);
  const a = reportOf(path.join(out, 'limited.json'));
  const b = reportOf(path.join(out, 'free.json'));
  assert.doesNotMatch(JSON.stringify(a.warnings ?? []), /EMFILE|ENFILE/);
  assert.deepEqual(stable(a), stable(b));
  const evil = byLocation(a, 'node_modules/evil')!;
  assert.equal(evil.version, '1.0.0');
  assert.notEqual(evil.level, 'none');
});

test('a package.json that cannot be read makes the package incomplete: never none, fails --fail-on', async () => {
  // a folder where package.json should be: EISDIR for everyone, root included (EACCES is not)
  const root = writeProject([
    { folder: 'hidden', manifest: null, files: { 'index.js': 'module.exports = 1;\n' } },
    { folder: 'fine', manifest: { name: 'fine', version: '1.0.0' }, files: { 'index.js': 'module.exports = 2;\n' } },
  ]);
  fs.mkdirSync(path.join(root, 'node_modules', 'hidden', 'package.json'));
  const out = path.join(tmpDir(), 'r.json');
  const r = await runCliAsync(['scan', root, '--no-cache', '--fail-on', 'critical', `--json=${out}`]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /hidden.*not fully analysed: package\.json: could not be read \(EISDIR\)/);
  const report = reportOf(out);
  const hidden = byLocation(report, 'node_modules/hidden')!;
  assert.notEqual(hidden.level, 'none');
  assert.deepEqual(hidden.incomplete, ['package.json: could not be read (EISDIR); install scripts and entry points unknown']);
  assert.equal(report.summary.incomplete, 1);
  assert.equal(byLocation(report, 'node_modules/fine')!.incomplete, undefined);

  const allowed = await runCliAsync(['scan', root, '--no-cache', '--fail-on', 'critical', '--allow-incomplete', '--quiet']);
  assert.equal(allowed.status, 0, allowed.stderr);
});

test('a file over the size limit or the time limit: incomplete, named, never cached as a verdict', async () => {
  // a critical package whose code is padded: 300 KB of harmless statements before the theft
  const padding = 'var a = [1, 2, 3].map(function (x) { return x * 2; });\n'.repeat(6000);
  const root = writeProject([{ folder: 'padded', manifest: { name: 'padded', version: '1.0.0', main: 'index.js' }, files: { 'index.js': padding + STEALER_CODE } }]);
  const cache = path.join(tmpDir(), 'cache');
  const out = tmpDir();

  const small = await runCliAsync(['scan', root, '--cache-dir', cache, '--max-file-size', '0.1', '--fail-on', 'critical', `--json=${path.join(out, 'small.json')}`]);
  assert.equal(small.status, 1, 'an unanalysed package fails the gate');
  const skipped = byLocation(reportOf(path.join(out, 'small.json')), 'node_modules/padded')!;
  assert.deepEqual(skipped.incomplete, ['index.js: over the size limit']);
  assert.ok(skipped.reasons.some((x) => /skipped 1 oversize file/.test(x)));

  const slow = await runCliAsync(['scan', root, '--cache-dir', cache, '--file-timeout', '0.02', '--jobs', '1', `--json=${path.join(out, 'slow.json')}`]);
  const timedOut = byLocation(reportOf(path.join(out, 'slow.json')), 'node_modules/padded')!;
  if (timedOut.incomplete) {
    // a timed-out file is not an oversize one
    assert.deepEqual(timedOut.incomplete, ['index.js: analysis timed out']);
    assert.ok(timedOut.reasons.some((x) => /analysis timed out on 1 file/.test(x)), timedOut.reasons.join('\n'));
    assert.ok(!timedOut.reasons.some((x) => /oversize/.test(x)));
    assert.equal(slow.status, 0, 'without --fail-on the run itself succeeds');
  }

  // the next run with the default limits analyses the file: nothing of the limited runs was kept
  const full = await runCliAsync(['scan', root, '--cache-dir', cache, '--fail-on', 'critical', `--json=${path.join(out, 'full.json')}`]);
  assert.equal(full.status, 1);
  const padded = byLocation(reportOf(path.join(out, 'full.json')), 'node_modules/padded')!;
  assert.equal(padded.level, 'critical');
  assert.equal(padded.incomplete, undefined);
});

test('name impersonation: a folder whose package.json claims an allowlisted name is not allowlisted', async () => {
  const root = writeProject(
    [
      { folder: 'innocent-looking', manifest: { name: '@acme/telemetry', version: '2.0.0', main: 'index.js' }, files: { 'index.js': STEALER_CODE } },
      { folder: '@acme/telemetry', manifest: { name: '@acme/telemetry', version: '2.0.0', main: 'index.js' }, files: { 'index.js': STEALER_CODE } },
    ],
    {
      lock: {
        'node_modules/innocent-looking': { version: '1.0.0' },
        'node_modules/@acme/telemetry': { version: '2.0.0' },
      },
      config: { allow: [{ package: '@acme/telemetry', reason: 'our own telemetry: sends the environment to our collector' }] },
    },
  );
  const out = tmpDir();
  const r = await runCliAsync(['scan', root, '--no-cache', '--fail-on', 'high', `--json=${path.join(out, 'r.json')}`, '--sarif', path.join(out, 'r.sarif'), '--markdown', path.join(out, 'r.md')]);
  assert.equal(r.status, 1, r.stderr);
  const report = reportOf(path.join(out, 'r.json'));
  const real = byLocation(report, 'node_modules/@acme/telemetry')!;
  const impostor = byLocation(report, 'node_modules/innocent-looking')!;
  assert.equal(real.effectiveLevel, 'none', 'the real package stays allowlisted');
  assert.ok(!real.findings.some((f) => f.rule === 'name-mismatch'));
  assert.equal(impostor.effectiveLevel ?? impostor.level, 'critical');
  const mismatch = impostor.findings.find((f) => f.rule === 'name-mismatch');
  assert.ok(mismatch);
  assert.equal(mismatch.detail, 'package.json says @acme/telemetry@2.0.0, but its folder is node_modules/innocent-looking and the lockfile records innocent-looking and the lockfile records version 1.0.0');
  assert.deepEqual(report.policy?.failing, ['@acme/telemetry@2.0.0']);
  // every output shows it
  assert.match(r.stdout, /identity: package\.json says @acme\/telemetry@2\.0\.0/);
  // SARIF has one result per package (issue 16): the impostor's result carries the mismatch in its ledger
  const sarif = JSON.parse(fs.readFileSync(path.join(out, 'r.sarif'), 'utf8')) as { runs: { results: { message: { text: string } }[] }[] };
  assert.ok(sarif.runs[0].results.some((res) => /innocent-looking/.test(JSON.stringify(res)) && /name-mismatch|identity/.test(res.message.text)));
  assert.match(fs.readFileSync(path.join(out, 'r.md'), 'utf8'), /innocent-looking/);

  // on its own, a name that differs from the folder is high
  const alone = writeProject([{ folder: 'left-pad', manifest: { name: 'lodash', version: '4.17.21' }, files: { 'index.js': 'module.exports = 1;\n' } }]);
  const j = await runCliAsync(['scan', alone, '--no-cache', '--json']);
  const p = (JSON.parse(j.stdout) as Report).packages[0];
  assert.equal(p.level, 'high');
});

test('an npm alias is not an impersonation', async () => {
  const root = writeProject(
    [{ folder: 'my-fetch', manifest: { name: 'node-fetch', version: '2.7.0' }, files: { 'index.js': 'module.exports = 1;\n' } }],
    { dependencies: { 'my-fetch': 'npm:node-fetch@^2.7.0' }, lock: { 'node_modules/my-fetch': { name: 'node-fetch', version: '2.7.0' } } },
  );
  const r = await runCliAsync(['scan', root, '--no-cache', '--json', '--all']);
  const report = JSON.parse(r.stdout) as Report;
  assert.ok(!report.packages[0].findings.some((f) => f.rule === 'name-mismatch'), JSON.stringify(report.packages[0].findings));
});

test('a baseline entry does not cover an impersonator of a baselined package', async () => {
  const clean = writeProject([{ folder: 'stripe', manifest: { name: 'stripe', version: '12.0.0' }, files: { 'index.js': "require('https').get('https://api.stripe.com/v1');\n" } }]);
  const base = path.join(tmpDir(), 'baseline.json');
  assert.equal((await runCliAsync(['baseline', clean, '--no-cache', '--write', base])).status, 0);
  // the same tree plus a second stripe@12.0.0 row: a planted folder claiming the name
  fs.mkdirSync(path.join(clean, 'node_modules', 'stripe-helper'));
  fs.writeFileSync(path.join(clean, 'node_modules', 'stripe-helper', 'package.json'), JSON.stringify({ name: 'stripe', version: '12.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(clean, 'node_modules', 'stripe-helper', 'index.js'), "require('https').get('https://api.stripe.com/v1');\n");
  const r = await runCliAsync(['scan', clean, '--no-cache', '--baseline', base, '--fail-on', 'high', '--json']);
  assert.equal(r.status, 1, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  const planted = byLocation(report, 'node_modules/stripe-helper')!;
  assert.equal(planted.baseline, 'new');
  assert.equal(byLocation(report, 'node_modules/stripe')!.baseline, 'unchanged');
});
