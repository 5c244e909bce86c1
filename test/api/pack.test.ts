// The published shape: `npm pack` the repository as it is built, install the tarball into a new
// project (dependencies from the npm cache, the registry only if the cache misses; no install
// scripts), then run the installed binary through `npx --no` (never a download) and
// `import { scan } from 'env-audit'` from that project. Both give a schema-valid report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Report } from '../../src/model.js';
import { fixture, parseJson, repoRoot } from '../helpers.js';
import { tmpDir } from '../policy/util.js';
import { validateReport } from '../report/validate.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

test('npm pack → install the tarball in a new project → npx env-audit and import { scan } both work', { timeout: 300_000 }, () => {
  const work = tmpDir('env-audit-pack-');
  // dist/ is already built by the test run: no prepare script here
  const packed = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repoRoot, encoding: 'utf8' });
  const [info] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
  const shipped = info.files.map((f) => f.path);
  for (const f of ['bin/env-audit.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'schema/report.schema.json']) {
    assert.ok(shipped.includes(f), `${f} is in the tarball`);
  }
  assert.ok(!shipped.some((f) => f.startsWith('dist/test/') || f.startsWith('fixtures/')), 'no tests or fixtures shipped');

  const app = path.join(work, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'pack-check', version: '1.0.0', private: true, type: 'module' }));
  execFileSync(npm, ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', path.join(work, info.filename)], {
    cwd: app,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

  // the local binary, never a download (--no)
  const target = fixture('policy-head');
  const cli = spawnSync(npx, ['--no', 'env-audit', 'scan', target, '--json', '--no-cache'], { cwd: app, encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const fromCli = parseJson<Report>(cli.stdout);
  assert.deepEqual(validateReport(fromCli), []);

  // the API, from the installed package (exports map, ESM)
  fs.writeFileSync(
    path.join(app, 'check.js'),
    `import { scan } from 'env-audit';\nconst r = await scan(process.argv[2], { cacheDir: null });\nprocess.stdout.write(JSON.stringify(r));\n`,
  );
  const api = spawnSync(process.execPath, ['check.js', target], { cwd: app, encoding: 'utf8' });
  assert.equal(api.status, 0, api.stderr);
  const fromApi = parseJson<Report>(api.stdout);
  assert.deepEqual(validateReport(fromApi), []);
  const strip = (r: { generatedAt?: string; summary: { durationMs?: number } }) => ({ ...r, generatedAt: '', summary: { ...r.summary, durationMs: 0 } });
  assert.deepEqual(strip(fromApi), strip(fromCli), 'the API and the CLI give the same report');

  // types resolve through the installed package.json
  const installed = parseJson<{ types: string; exports: Record<string, { types: string }> }>(fs.readFileSync(path.join(app, 'node_modules', 'env-audit', 'package.json'), 'utf8'));
  assert.equal(installed.exports['.'].types, './dist/src/index.d.ts');
  assert.match(fs.readFileSync(path.join(app, 'node_modules', 'env-audit', installed.types), 'utf8'), /export declare function scan\(/);
});
