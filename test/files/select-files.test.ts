import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fixture, packageUnit } from '../helpers.js';
import { selectFiles, nestedPackageDirs } from '../../src/files/select-files.js';
import type { PackageJson, PackageUnit } from '../../src/model.js';

function unit(dir: string, pkg: PackageJson = {}, location = 'node_modules/pkg'): PackageUnit {
  return packageUnit({ name: typeof pkg.name === 'string' ? pkg.name : 'pkg', location, path: fs.realpathSync(dir), pkg });
}

const readPkg = (dir: string): PackageJson => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
const basicPkg = (name: string): string => fixture('tree-basic', 'node_modules', name);
const summary = (jobs: { file: string; sourceType: string }[]): string[] => jobs.map((j) => `${j.file} ${j.sourceType}`);

describe('selectFiles on fixture packages', () => {
  test('type: module package: .js by nearest package.json, .cjs/.mjs by extension; no .d.ts or .json', () => {
    const dir = basicPkg('esm-pkg');
    const { jobs, warnings } = selectFiles(unit(dir, readPkg(dir)));
    assert.deepEqual(summary(jobs), [
      'cjs/index.js commonjs', // cjs/package.json says "type": "commonjs"
      'index.js module',
      'lib/helper.mjs module',
      'lib/util.cjs commonjs',
    ]);
    assert.deepEqual(warnings, []);
  });

  test('job fields: absolute path, posix file, package name, size from stat', () => {
    const dir = basicPkg('esm-pkg');
    const { jobs } = selectFiles(unit(dir, readPkg(dir)));
    const job = jobs.find((j) => j.file === 'cjs/index.js')!;
    assert.equal(job.absPath, path.join(fs.realpathSync(dir), 'cjs', 'index.js'));
    assert.equal(job.packageName, 'esm-pkg');
    assert.equal(job.size, fs.statSync(job.absPath).size);
  });

  test('a nested node_modules folder is not scanned as the package files, and is reported', () => {
    const dir = basicPkg('nested-nm');
    const { jobs, warnings } = selectFiles(unit(dir, readPkg(dir)));
    assert.deepEqual(summary(jobs), ['index.js commonjs', 'lib/index.js commonjs']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^nested-nm \(node_modules\/pkg\): lib\/node_modules is a nested node_modules folder; not scanned$/);
  });

  test("the package's own node_modules (other packages) is skipped silently", () => {
    const dir = basicPkg('prod-a');
    const { jobs, warnings } = selectFiles(unit(dir, readPkg(dir)));
    assert.deepEqual(summary(jobs), ['lib/main.js commonjs']);
    assert.deepEqual(warnings, []);
  });

  test('files sorted by path', () => {
    const dir = basicPkg('tool');
    const files = selectFiles(unit(dir, readPkg(dir))).jobs.map((j) => j.file);
    assert.deepEqual(files, [
      'bin/tool.js',
      'esm/index.mjs',
      'lib/features/a.js',
      'lib/features/b.js',
      'lib/index.js',
      'scripts/setup.js',
      'scripts/util.js',
      'test/run.js',
    ]);
  });

  test('maxFiles keeps the first files and warns', () => {
    const dir = basicPkg('tool');
    const { jobs, warnings } = selectFiles(unit(dir, readPkg(dir), 'node_modules/tool'), { maxFiles: 2 });
    assert.deepEqual(jobs.map((j) => j.file), ['bin/tool.js', 'esm/index.mjs']);
    assert.deepEqual(warnings, ['tool (node_modules/tool): 8 JS files; only the first 2 are scanned']);
  });
});

describe('selectFiles on awkward folders (temp dir)', () => {
  let base: string;
  let pkgDir: string;
  let outsideDir: string;
  const write = (rel: string, text: string): void => {
    const f = path.join(pkgDir, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
  };

  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-select-')));
    pkgDir = path.join(base, 'pkg');
    outsideDir = path.join(base, 'outside');
    fs.mkdirSync(pkgDir);
    fs.mkdirSync(outsideDir);
    fs.writeFileSync(path.join(outsideDir, 'secret.js'), 'outside');
    write('package.json', '{"name":"pkg","type":"module"}');
    write('index.js', 'export {}');
    write('a/inner.js', '1');
    // symlink loops: to the folder itself and to an ancestor
    fs.symlinkSync('.', path.join(pkgDir, 'a', 'self'));
    fs.symlinkSync('..', path.join(pkgDir, 'a', 'up'));
    fs.symlinkSync('loop-b', path.join(pkgDir, 'loop-a.js'));
    fs.symlinkSync('loop-a.js', path.join(pkgDir, 'loop-b'));
    // out of the package: a file and a folder
    fs.symlinkSync(path.join(outsideDir, 'secret.js'), path.join(pkgDir, 'leak.js'));
    fs.symlinkSync(outsideDir, path.join(pkgDir, 'outdir'));
    // ... and a non-JS file out of the package, as monorepos do with READMEs: not worth a warning
    fs.writeFileSync(path.join(outsideDir, 'readme.md'), '# hi');
    fs.symlinkSync(path.join(outsideDir, 'readme.md'), path.join(pkgDir, 'README.md'));
    // a dangling one
    fs.symlinkSync('does-not-exist.js', path.join(pkgDir, 'dead.js'));
    // a link to a file scanned under its own name: once, under that name
    fs.symlinkSync('index.js', path.join(pkgDir, 'alias.js'));
    // a JS-named link to a non-JS file: Node would run it, so it is scanned
    write('payload.dat', 'process.env');
    fs.symlinkSync('payload.dat', path.join(pkgDir, 'loader.js'));
    // a folder named like a file, and non-JS files
    write('weird.js/inside.cjs', '1');
    write('types/index.d.ts', 'export {}');
    write('data.json', '{}');
    write('min/lib.min.js', '1');
    // nested package.json files: without "type" (commonjs), and broken (falls back)
    write('cjs/package.json', '{}');
    write('cjs/x.js', '1');
    write('bad/package.json', '{ broken');
    write('bad/y.js', '1');
    // extensionless files that bin / install scripts run with node
    write('bin/cli', '#!/usr/bin/env node\nrequire("../index.js")');
    write('bin/shell', '#!/bin/sh\necho hi');
    write('scripts/setup', 'require("https")');
    write('.git/hooks/x.js', '1');
    const r = spawnSync('mkfifo', [path.join(pkgDir, 'pipe.js')]);
    assert.equal(r.status, 0, 'mkfifo');
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  const pkg: PackageJson = {
    name: 'pkg',
    type: 'module',
    bin: { cli: 'bin/cli', sh: 'bin/shell' },
    scripts: { postinstall: 'node scripts/setup' },
  };

  test('selection survives loops, links out, dangling links and a FIFO, and says what it skipped', () => {
    const { jobs, warnings } = selectFiles(unit(pkgDir, pkg));
    assert.deepEqual(summary(jobs), [
      'a/inner.js module',
      'bad/y.js module', // broken bad/package.json: the package's type
      'bin/cli module',
      'cjs/x.js commonjs', // nearest package.json has no "type"
      'index.js module',
      'loader.js module',
      'min/lib.min.js module',
      'scripts/setup module',
      'weird.js/inside.cjs commonjs',
    ]);
    assert.deepEqual(warnings.sort(), [
      'pkg (node_modules/pkg): bad/package.json cannot be read as JSON (invalid JSON); using the package\'s type',
      'pkg (node_modules/pkg): dead.js is a dangling symlink; skipped',
      `pkg (node_modules/pkg): leak.js links outside the package (${path.join(outsideDir, 'secret.js')}); not followed`,
      'pkg (node_modules/pkg): loop-a.js is a symlink loop; skipped',
      'pkg (node_modules/pkg): loop-b is a symlink loop; skipped',
      `pkg (node_modules/pkg): outdir links outside the package (${outsideDir}); not followed`,
      'pkg (node_modules/pkg): pipe.js is not a regular file (fifo); skipped',
    ]);
  });

  test('a JS-named link to a non-JS file is read through its real path', () => {
    const loader = selectFiles(unit(pkgDir, pkg)).jobs.find((j) => j.file === 'loader.js')!;
    assert.equal(loader.absPath, path.join(pkgDir, 'payload.dat'));
  });

  test('without bin/scripts, extensionless files are not selected', () => {
    const files = selectFiles(unit(pkgDir, { type: 'module' })).jobs.map((j) => j.file);
    assert.ok(!files.includes('bin/cli'));
    assert.ok(!files.includes('scripts/setup'));
  });

  test('skipDirs leaves out folders that belong to other units', () => {
    const files = selectFiles(unit(pkgDir, pkg), { skipDirs: [path.join(pkgDir, 'a'), path.join(pkgDir, 'cjs')] }).jobs.map((j) => j.file);
    assert.ok(!files.some((f) => f.startsWith('a/') || f.startsWith('cjs/')));
    assert.ok(files.includes('index.js'));
  });

  test('an unreadable file and folder are skipped with a warning', () => {
    write('locked/x.js', '1');
    write('secret.js', '1');
    fs.chmodSync(path.join(pkgDir, 'secret.js'), 0o000);
    fs.chmodSync(path.join(pkgDir, 'locked'), 0o000);
    try {
      let result: { jobs: { file: string }[]; warnings: string[] };
      if (process.getuid?.() === 0) {
        // root reads through chmod 000, so run the selection as an unprivileged user (nobody)
        fs.chmodSync(base, 0o755);
        const moduleUrl = new URL('../../src/files/select-files.js', import.meta.url).href;
        const script = `const { selectFiles } = await import(${JSON.stringify(moduleUrl)});
          const r = selectFiles(JSON.parse(process.argv[1]));
          process.stdout.write(JSON.stringify({ jobs: r.jobs.map((j) => ({ file: j.file })), warnings: r.warnings }));`;
        const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(unit(pkgDir, pkg))], {
          uid: 65534,
          gid: 65534,
          encoding: 'utf8',
        });
        assert.equal(child.status, 0, child.stderr);
        result = JSON.parse(child.stdout) as typeof result;
      } else {
        result = selectFiles(unit(pkgDir, pkg));
      }
      assert.ok(!result.jobs.some((j) => j.file === 'secret.js' || j.file.startsWith('locked/')));
      assert.ok(result.warnings.includes('pkg (node_modules/pkg): cannot read secret.js (permission denied); skipped'), result.warnings.join('\n'));
      assert.ok(result.warnings.includes('pkg (node_modules/pkg): cannot read folder locked (EACCES); skipped'), result.warnings.join('\n'));
    } finally {
      fs.chmodSync(path.join(pkgDir, 'locked'), 0o755);
      fs.chmodSync(path.join(pkgDir, 'secret.js'), 0o644);
    }
  });
});

test('nestedPackageDirs: workspaces under the root, nothing for leaves', () => {
  const mk = (p: string): PackageUnit => ({ ...unit(os.tmpdir()), path: p });
  const map = nestedPackageDirs([mk('/r'), mk('/r/packages/a'), mk('/r/packages/ab'), mk('/r/node_modules/x'), mk('/elsewhere')]);
  assert.deepEqual(map.get('/r'), ['/r/node_modules/x', '/r/packages/a', '/r/packages/ab']);
  assert.equal(map.has('/r/packages/a'), false);
  assert.equal(map.has('/elsewhere'), false);
});
