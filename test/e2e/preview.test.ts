// End to end, in a child process: `env-audit preview tiny-fmt@^1.2.4` on a copy of
// fixtures/diff-base (tiny-fmt 1.2.3 installed). The registry served here has 1.2.3 and the
// "patch" 1.2.4 that reads NPM_TOKEN, reaches the network and depends on a new package,
// fmt-helpers. Arborist resolves against the project's lockfile, pacote fetches, nothing is
// installed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { marked, type Tokens } from 'marked';
import { fixture, parseJson } from '../helpers.js';
import type { ReportDiff } from '../../src/policy/diff.js';
import { copyTree, runCliAsync, snapshot, tmpDir } from '../policy/util.js';
import { registryEnv, startRegistry, type TestRegistry } from '../policy/registry.js';

const BASE = fixture('diff-base', 'node_modules');
const HEAD = fixture('diff-head', 'node_modules');
// a tool with an optional binary for another platform (esbuild's layout): npm skips it here
const OTHER_OS = process.platform === 'linux' ? 'win32' : 'linux';
const platDir = tmpDir();
const platPkg = (name: string, extra: object) => {
  fs.mkdirSync(path.join(platDir, name));
  fs.writeFileSync(path.join(platDir, name, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...extra }));
  fs.writeFileSync(path.join(platDir, name, 'index.js'), 'module.exports = 1;\n');
  return path.join(platDir, name);
};
const platTool = platPkg('plat-tool', { optionalDependencies: { 'plat-tool-foreign': '1.0.0' } });
const platForeign = platPkg('plat-tool-foreign', { os: [OTHER_OS] });

const reg: TestRegistry = await startRegistry([
  platTool,
  platForeign,
  path.join(BASE, 'tiny-fmt'),
  path.join(HEAD, 'tiny-fmt'),
  path.join(HEAD, 'fmt-helpers'),
  path.join(BASE, 'color-names'),
  path.join(HEAD, 'color-names'),
  path.join(BASE, 'http-helper'),
  path.join(BASE, 'old-logger'),
]);
after(() => reg.close());

const work = tmpDir();
const env = registryEnv(reg, work);
const project = copyTree(fixture('diff-base'), path.join(work, 'app'));

test('preview a patch release: the diff against the installed version, new transitive package included', async () => {
  const before = snapshot(project);
  const r = await runCliAsync(['preview', 'tiny-fmt@^1.2.4', '--dir', project, '--no-cache'], { env });
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /^env-audit preview tiny-fmt@\^1\.2\.4 \(against the installed tree in /);
  assert.match(out, /1 added, 0 removed, 1 changed \(1 in risk\)/);
  assert.match(out, / {2}! tiny-fmt 1\.2\.3 → 1\.2\.4 is a patch release that gains network reach(, | and )a secret read \(NPM_TOKEN\)/);
  assert.match(out, /\+ fmt-helpers@1\.0\.0 {2}low/, 'the transitive package the candidate brings');
  assert.match(out, /~ tiny-fmt 1\.2\.3 → 1\.2\.4 \(patch\) {2}score 0 → \d+ \(\+\d+\) {2}none → (high|critical)/);
  assert.doesNotMatch(out, /old-logger|color-names/, 'the rest of the tree is unchanged');
  // the project was only read
  assert.deepEqual(snapshot(project), before);
  // fetched from our registry only: packuments and the two new tarballs
  assert.ok(reg.requests.includes('/tiny-fmt'));
  assert.ok(reg.requests.includes('/fmt-helpers'));
  assert.ok(reg.requests.some((p) => p.endsWith('tiny-fmt-1.2.4.tgz')));
  assert.ok(reg.requests.some((p) => p.endsWith('fmt-helpers-1.0.0.tgz')));
  assert.ok(!reg.requests.some((p) => p.endsWith('tiny-fmt-1.2.3.tgz')), 'the installed version is not fetched');
});

test('--fail-on high: exit 1 naming the upgrade', async () => {
  const r = await runCliAsync(['preview', 'tiny-fmt@1.2.4', '--dir', project, '--no-cache', '--fail-on', 'high', '-q'], { env });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /the upgrade brings 1 new or grown risk at or above high: tiny-fmt@1\.2\.4/);
});

test('the installed version as the candidate: nothing changes', async () => {
  const r = await runCliAsync(['preview', 'tiny-fmt@1.2.3', '--dir', project, '--no-cache', '--fail-on', 'low'], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /No changes\./);
  assert.match(r.stdout, /^env-audit preview tiny-fmt@1\.2\.3 .*\ntiny-fmt is already at this version \(1\.2\.3\)\.$/m);
  const upgrade = await runCliAsync(['preview', 'tiny-fmt@^1.2.4', '--dir', project, '--no-cache', '-q'], { env });
  assert.doesNotMatch(upgrade.stdout, /already at this version/);
});

test('preview of a tool with an optional binary for another platform lists the tool, not the binary', async () => {
  const r = await runCliAsync(['preview', 'plat-tool@1.0.0', '--dir', project, '--no-cache', '--all'], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\+ plat-tool@1\.0\.0/);
  assert.doesNotMatch(r.stdout, /plat-tool-foreign/);
  assert.ok(!reg.requests.some((p) => p.endsWith('plat-tool-foreign-1.0.0.tgz')), 'not even fetched');
});


test('a major step of another package: reported, not called out; --json and --markdown', async () => {
  const jsonFile = path.join(work, 'preview.json');
  const mdFile = path.join(work, 'preview.md');
  const r = await runCliAsync(
    ['preview', 'color-names@^3', 'tiny-fmt@~1.2.4', '--dir', project, '--no-cache', '--json', jsonFile, '--markdown', mdFile],
    { env },
  );
  assert.equal(r.status, 0, r.stderr);
  const data = parseJson<{ previews: Array<{ spec: string; diff: ReportDiff }> }>(fs.readFileSync(jsonFile, 'utf8'));
  assert.deepEqual(data.previews.map((p) => p.spec), ['color-names@^3', 'tiny-fmt@~1.2.4']);
  const colors = data.previews[0].diff.changed[0];
  assert.equal(colors.name, 'color-names');
  assert.equal(colors.step, 'major');
  assert.equal(colors.suspicious, null);
  assert.deepEqual(colors.env.added, ['COLOR_NAMES_THEME']);
  const fmt = data.previews[1].diff.changed[0];
  assert.equal(fmt.step, 'patch');
  assert.ok(fmt.suspicious?.includes('network reach'));
  const tokens = marked.lexer(fs.readFileSync(mdFile, 'utf8'));
  const h2 = tokens.filter((t): t is Tokens.Heading => t.type === 'heading' && t.depth === 2).map((h) => h.text.replace(/\\(.)/g, '$1')); // Markdown escapes undone
  assert.deepEqual(h2, ['env-audit preview color-names@^3', 'env-audit preview tiny-fmt@~1.2.4']);
});

test('could not run → exit 2', async () => {
  const none = await runCliAsync(['preview', '--dir', project, '--no-cache'], { env });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /preview needs at least one spec/);
  const git = await runCliAsync(['preview', 'github:x/y', '--dir', project, '--no-cache'], { env });
  assert.equal(git.status, 2);
  assert.match(git.stderr, /preview takes registry specs like name@\^1\.2\.0/);
  const missing = await runCliAsync(['preview', 'no-such-package@^1', '--dir', project, '--no-cache'], { env });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /preview no-such-package@\^1: could not resolve it/);
  const noTree = await runCliAsync(['preview', 'tiny-fmt@^1.2.4', '--dir', tmpDir(), '--no-cache'], { env });
  assert.equal(noTree.status, 2);
});
