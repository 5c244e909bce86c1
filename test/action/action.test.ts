// action.yml, step by step: every run step is one script under action/, and each script runs here
// the way the runner runs it (GITHUB_ACTION_PATH, INPUT_* from the inputs, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY), on a fixture tree. The upload step is GitHub's own action.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fixture, parseJson, repoRoot } from '../helpers.js';
import type { SarifLog } from '../report/sarif-log.js';
import { tmpDir } from '../policy/util.js';
import { validateSarif } from '../report/validate.js';

const actionYml = fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8');

function step(script: string, env: Record<string, string>, cwd: string) {
  const clean: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', GITHUB_ACTION_PATH: repoRoot, ...env };
  delete clean.GITHUB_ACTIONS;
  if (env.GITHUB_ACTIONS) clean.GITHUB_ACTIONS = env.GITHUB_ACTIONS;
  return spawnSync('bash', [path.join(repoRoot, 'action', script)], { cwd, env: clean, encoding: 'utf8', timeout: 120_000 });
}

test('action.yml: composite; each run step calls one script that exists; every input is documented and reaches the scan', () => {
  assert.match(actionYml, /^runs:\n {2}using: composite$/m);
  const runs = [...actionYml.matchAll(/^ {6}run: (.*)$/gm)].map((m) => m[1]);
  assert.deepEqual(runs, ['bash "$GITHUB_ACTION_PATH/action/install.sh"', 'bash "$GITHUB_ACTION_PATH/action/scan.sh"', 'bash "$GITHUB_ACTION_PATH/action/gate.sh"']);
  assert.match(actionYml, /uses: github\/codeql-action\/upload-sarif@v3/);
  assert.doesNotMatch(actionYml, /npx --yes|npx -y /, 'never runs a name from the registry');
  const inputs = [...actionYml.slice(actionYml.indexOf('\ninputs:'), actionYml.indexOf('\noutputs:')).matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]);
  assert.deepEqual(inputs, ['path', 'fail-on', 'baseline', 'sarif', 'upload-sarif', 'markdown', 'cache-dir', 'args']);
  const docs = fs.readFileSync(path.join(repoRoot, 'docs', 'ci.md'), 'utf8');
  const scanScript = fs.readFileSync(path.join(repoRoot, 'action', 'scan.sh'), 'utf8');
  for (const input of inputs) {
    assert.match(docs, new RegExp(`^\\| \`${input}\` \\|`, 'm'), `${input} is documented in docs/ci.md`);
    const envName = `INPUT_${input.toUpperCase().replace(/-/g, '_')}`;
    if (input !== 'upload-sarif') {
      assert.ok(actionYml.includes(`${envName}: \${{ inputs.${input} }}`), `${input} is passed to the scan step`);
      assert.ok(scanScript.includes(envName), `scan.sh reads ${envName}`);
    }
  }
});

test('action steps: install (already built here), scan with annotations, SARIF and job summary, then the gate fails on the level', () => {
  const work = tmpDir('env-audit-action-');
  const install = step('install.sh', {}, work);
  assert.equal(install.status, 0, install.stderr);
  assert.match(install.stdout, /already installed and built/);

  const output = path.join(work, 'github-output');
  const summary = path.join(work, 'step-summary.md');
  fs.writeFileSync(output, '');
  const scan = step(
    'scan.sh',
    {
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      INPUT_PATH: fixture('policy-head'),
      INPUT_FAIL_ON: 'high',
      INPUT_BASELINE: '',
      INPUT_SARIF: 'env-audit.sarif',
      INPUT_MARKDOWN: 'env-audit.md',
      INPUT_CACHE_DIR: path.join(work, 'cache'),
      INPUT_ARGS: '--omit dev --quiet',
    },
    work,
  );
  assert.equal(scan.status, 0, `the scan step records the code and lets the upload run: ${scan.stderr}`);
  assert.equal(fs.readFileSync(output, 'utf8'), 'exit-code=1\n');
  const log = parseJson<SarifLog>(fs.readFileSync(path.join(work, 'env-audit.sarif'), 'utf8'));
  assert.deepEqual(validateSarif(log), []);
  const pkgs = log.runs[0].results.map((r) => r.properties.package);
  assert.deepEqual(pkgs.sort(), ['legacy-reporter', 'telemetry-beacon'], 'one result per package at or above fail-on');
  const annotations = scan.stdout.split('\n').filter((l) => l.startsWith('::'));
  assert.equal(annotations.length, 2);
  assert.ok(fs.readFileSync(summary, 'utf8').startsWith('## env-audit\n'));
  assert.ok(fs.existsSync(path.join(work, 'env-audit.md')));
  assert.ok(fs.readdirSync(path.join(work, 'cache')).length > 0, 'the cache-dir input is used');

  for (const [code, status] of [['0', 0], ['1', 1], ['2', 2], ['', 2]] as const) {
    const gate = step('gate.sh', { EXIT_CODE: code, INPUT_FAIL_ON: 'high' }, work);
    assert.equal(gate.status, status, `exit-code "${code}": ${gate.stdout}`);
  }

  const broken = step('scan.sh', { GITHUB_OUTPUT: output, INPUT_PATH: path.join(work, 'no-such-project'), INPUT_FAIL_ON: 'high' }, work);
  assert.equal(broken.status, 2, 'a scan that cannot run fails the step at once');
});

test('README and docs never run the unpublished name through npx without --no', () => {
  const files = ['README.md', ...fs.readdirSync(path.join(repoRoot, 'docs')).map((f) => path.join('docs', f))];
  for (const f of files) {
    const text = fs.readFileSync(path.join(repoRoot, f), 'utf8');
    for (const line of text.split('\n')) {
      // a warning about `npx --yes env-audit` in prose is fine; a command is not
      if (/^\s*(npx|.*\brun: .*npx|.*&& npx)\b/.test(line) || /^\s{6,}npx /.test(line)) {
        assert.match(line, /npx --no env-audit/, `${f}: ${line}`);
      }
    }
  }
});
