import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers.js';
import { loadTree, TreeError, type LoadedTree } from '../../src/tree/load-tree.js';
import type { PackageUnit } from '../../src/model.js';

const basic = fixture('tree-basic');

function byLocation(tree: LoadedTree, location: string): PackageUnit {
  const unit = tree.packages.find((p) => p.location === location);
  assert.ok(unit, `no unit at ${location}; have ${tree.packages.map((p) => p.location).join(', ')}`);
  return unit;
}

function flags(u: PackageUnit): string {
  return [u.dev && 'dev', u.optional && 'optional', u.peer && 'peer'].filter(Boolean).join(',') || 'prod';
}

/** A scratch copy of a fixture (symlinks are made here, never committed). */
function tempCopy(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `env-audit-${name}-`));
  fs.cpSync(fixture(name), dir, { recursive: true });
  return fs.realpathSync(dir);
}

function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-tree-')));
}

describe('loadTree on fixtures/tree-basic', () => {
  let tree: LoadedTree;
  before(async () => {
    tree = await loadTree(basic);
  });

  test('root is described but not a unit by default', () => {
    assert.deepEqual(tree.root, { name: 'basic-app', version: '1.0.0', path: fs.realpathSync(basic) });
    assert.ok(tree.packages.every((p) => !p.isRoot && p.location !== ''));
  });

  test('every installed package once, sorted by location, with posix locations and real paths', () => {
    assert.deepEqual(
      tree.packages.map((p) => `${p.location} ${p.name}@${p.version}`),
      [
        'node_modules/@scope/scoped @scope/scoped@2.0.0',
        'node_modules/b b@1.0.0',
        'node_modules/broken broken@',
        'node_modules/dev-a dev-a@1.0.0',
        'node_modules/esm-pkg esm-pkg@1.0.0',
        'node_modules/nested-nm nested-nm@1.0.0',
        'node_modules/nopkg nopkg@',
        'node_modules/opt-a opt-a@1.0.0',
        'node_modules/peer-a peer-a@1.0.0',
        'node_modules/prod-a prod-a@1.0.0',
        'node_modules/prod-a/node_modules/b b@2.0.0',
        'node_modules/shared shared@1.0.0',
        'node_modules/stray stray@0.1.0',
        'node_modules/tool tool@1.0.0',
      ],
    );
    for (const p of tree.packages) {
      assert.equal(p.path, path.join(fs.realpathSync(basic), ...p.location.split('/')));
      assert.ok(!p.location.includes('\\'));
    }
  });

  test('dev / optional / peer flags as arborist computes them', () => {
    const expected: Record<string, string> = {
      'node_modules/prod-a': 'prod',
      'node_modules/prod-a/node_modules/b': 'prod',
      'node_modules/@scope/scoped': 'prod',
      'node_modules/dev-a': 'dev',
      'node_modules/b': 'dev', // only dev-a needs b@1
      'node_modules/opt-a': 'optional',
      'node_modules/peer-a': 'peer',
      // needed by a dev dep and by an optional dep: devOptional, neither flag alone
      'node_modules/shared': 'prod',
      // extraneous: arborist leaves every flag set; we report it as a plain package
      'node_modules/stray': 'prod',
    };
    for (const [loc, f] of Object.entries(expected)) assert.equal(flags(byLocation(tree, loc)), f, loc);
  });

  test('nested copy of a different version is its own unit with its own path', () => {
    const top = byLocation(tree, 'node_modules/b');
    const nested = byLocation(tree, 'node_modules/prod-a/node_modules/b');
    assert.equal(top.version, '1.0.0');
    assert.equal(nested.version, '2.0.0');
    assert.deepEqual(top.paths, [['basic-app', 'dev-a', 'b']]);
    assert.deepEqual(nested.paths, [['basic-app', 'prod-a', 'b']]);
  });

  test('dependency paths: shortest first, several when there are several, deterministic', () => {
    assert.deepEqual(byLocation(tree, 'node_modules/shared').paths, [
      ['basic-app', 'dev-a', 'shared'],
      ['basic-app', 'opt-a', 'shared'],
    ]);
    assert.deepEqual(byLocation(tree, 'node_modules/@scope/scoped').paths, [['basic-app', '@scope/scoped']]);
    // nothing depends on stray: its place on disk stands in for a path
    assert.deepEqual(byLocation(tree, 'node_modules/stray').paths, [['basic-app', 'stray']]);
  });

  test('integrity from package-lock.json, only when the locked version matches', () => {
    assert.equal(byLocation(tree, 'node_modules/prod-a').integrity, 'sha512-cHJvZC1hIGZpeHR1cmUgaW50ZWdyaXR5');
    assert.equal(byLocation(tree, 'node_modules/b').integrity, null); // lock says 9.9.9
    assert.equal(byLocation(tree, 'node_modules/tool').integrity, null);
  });

  test('pkg is the package.json content; scripts and exports are there', () => {
    const tool = byLocation(tree, 'node_modules/tool');
    assert.deepEqual(tool.pkg.scripts, { postinstall: 'node scripts/setup.js', test: 'node test/run.js' });
    assert.ok(tool.pkg.exports && typeof tool.pkg.exports === 'object');
    assert.equal(byLocation(tree, 'node_modules/esm-pkg').pkg.type, 'module');
  });

  test('broken package.json and a folder without one: kept as units, with warnings', () => {
    const broken = byLocation(tree, 'node_modules/broken');
    assert.deepEqual(broken.pkg, {});
    assert.equal(broken.name, 'broken'); // from the folder
    assert.equal(broken.warnings.length, 1);
    assert.match(broken.warnings[0], /^node_modules\/broken: package\.json is not valid JSON \(.+\)/);
    assert.match(broken.warnings[0], /position \d+/);

    const nopkg = byLocation(tree, 'node_modules/nopkg');
    assert.match(nopkg.warnings[0], /^node_modules\/nopkg: folder has no package\.json/);

    assert.deepEqual(tree.warnings, [...broken.warnings, ...nopkg.warnings]);
    for (const p of tree.packages) {
      if (p !== broken && p !== nopkg) assert.deepEqual(p.warnings, [], p.location);
    }
  });

  test('flags on units are plain booleans and workspace/link are false here', () => {
    for (const p of tree.packages) {
      for (const k of ['dev', 'optional', 'peer', 'isRoot', 'isWorkspace', 'isLink'] as const) {
        assert.equal(typeof p[k], 'boolean');
      }
      assert.equal(p.isWorkspace, false);
      assert.equal(p.isLink, false);
    }
  });
});

describe('loadTree options', () => {
  const locs = (t: LoadedTree): string[] => t.packages.map((p) => p.location);

  test('includeRoot adds the project itself first', async () => {
    const t = await loadTree(basic, { includeRoot: true });
    const root = t.packages[0];
    assert.equal(root.location, '');
    assert.equal(root.isRoot, true);
    assert.equal(root.name, 'basic-app');
    assert.deepEqual(root.paths, [['basic-app']]);
    assert.equal(flags(root), 'prod');
    assert.equal(t.packages.length, 15);
  });

  test('omit dev drops dev packages but keeps devOptional and extraneous ones', async () => {
    const l = locs(await loadTree(basic, { omit: ['dev'] }));
    assert.ok(!l.includes('node_modules/dev-a'));
    assert.ok(!l.includes('node_modules/b'));
    assert.ok(l.includes('node_modules/prod-a/node_modules/b'));
    assert.ok(l.includes('node_modules/shared'));
    assert.ok(l.includes('node_modules/opt-a'));
    assert.ok(l.includes('node_modules/stray'));
  });

  test('omit optional drops optional packages but keeps devOptional ones', async () => {
    const l = locs(await loadTree(basic, { omit: ['optional'] }));
    assert.ok(!l.includes('node_modules/opt-a'));
    assert.ok(l.includes('node_modules/shared'));
    assert.ok(l.includes('node_modules/dev-a'));
  });

  test('omit dev and optional drops devOptional packages too', async () => {
    const l = locs(await loadTree(basic, { omit: ['dev', 'optional'] }));
    for (const gone of ['node_modules/dev-a', 'node_modules/b', 'node_modules/opt-a', 'node_modules/shared']) {
      assert.ok(!l.includes(gone), gone);
    }
    assert.ok(l.includes('node_modules/peer-a'));
  });

  test('omit peer drops peer packages only', async () => {
    const l = locs(await loadTree(basic, { omit: ['peer'] }));
    assert.ok(!l.includes('node_modules/peer-a'));
    assert.equal(l.length, 13);
  });
});

describe('loadTree errors', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const scratch = (): string => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };

  async function rejectsWith(dir: string, code: string, message: RegExp): Promise<void> {
    await assert.rejects(loadTree(dir), (err: unknown) => {
      assert.ok(err instanceof TreeError, `not a TreeError: ${String(err)}`);
      assert.ok(err instanceof Error);
      assert.equal(err.code, code);
      assert.match(err.message, message);
      assert.ok(!err.message.includes('\n'), 'one line');
      return true;
    });
  }

  test('a folder without package.json', async () => {
    const d = scratch();
    await rejectsWith(
      d,
      'NO_PACKAGE_JSON',
      new RegExp(`^No package\\.json in ${escape(d)}: run env-audit in a project folder, or pass one: env-audit scan <dir>$`),
    );
  });

  test('package.json but no node_modules (even with no dependencies)', async () => {
    const d = scratch();
    fs.writeFileSync(path.join(d, 'package.json'), '{"name":"x","version":"1.0.0"}');
    await rejectsWith(
      d,
      'NO_NODE_MODULES',
      new RegExp(`^No node_modules and no Yarn Plug'n'Play map \\(\\.pnp\\.cjs\\) in ${escape(d)}: install first \\(npm install --ignore-scripts\\), then run env-audit again$`),
    );
    // with a lockfile, the advice is that manager's frozen install, and --lockfile is offered
    fs.writeFileSync(path.join(d, 'package-lock.json'), '{}');
    await rejectsWith(d, 'NO_NODE_MODULES', new RegExp(`install first \\(npm ci --ignore-scripts\\), then run env-audit again, or scan the lockfile without installing: env-audit scan --lockfile ${escape(d)}$`));
  });

  test('a workspace folder without its own node_modules gets a hint to the root', async () => {
    const d = scratch();
    fs.writeFileSync(path.join(d, 'package.json'), '{"name":"mono","workspaces":["packages/*"]}');
    fs.mkdirSync(path.join(d, 'node_modules'));
    fs.mkdirSync(path.join(d, 'packages', 'a'), { recursive: true });
    fs.writeFileSync(path.join(d, 'packages', 'a', 'package.json'), '{"name":"a"}');
    await rejectsWith(path.join(d, 'packages', 'a'), 'NO_NODE_MODULES', new RegExp(`workspace root: env-audit scan ${escape(d)}\\)$`));
  });

  test('a path that does not exist', async () => {
    const d = path.join(scratch(), 'missing');
    await rejectsWith(d, 'NOT_A_DIRECTORY', /^No such directory: .*missing: /);
  });

  test('a path that is a file', async () => {
    const f = path.join(scratch(), 'file.txt');
    fs.writeFileSync(f, 'x');
    await rejectsWith(f, 'NOT_A_DIRECTORY', /^Not a directory: .*file\.txt: /);
  });

  test("the project's own package.json is broken", async () => {
    const d = scratch();
    fs.writeFileSync(path.join(d, 'package.json'), '{ nope');
    fs.mkdirSync(path.join(d, 'node_modules'));
    await rejectsWith(d, 'LOAD_FAILED', /package\.json is not valid JSON \(.+\): fix it, then run env-audit again$/);
  });

  test("the project's own package.json is JSON but not an object", async () => {
    const d = scratch();
    fs.writeFileSync(path.join(d, 'package.json'), '[]');
    fs.mkdirSync(path.join(d, 'node_modules'));
    await rejectsWith(d, 'LOAD_FAILED', /package\.json is not a JSON object: fix it, then run env-audit again$/);
  });

  test('an empty node_modules is an empty tree, not an error', async () => {
    const d = scratch();
    fs.writeFileSync(path.join(d, 'package.json'), '{"name":"empty","version":"0.0.0"}');
    fs.mkdirSync(path.join(d, 'node_modules'));
    const t = await loadTree(d);
    assert.deepEqual(t.packages, []);
    assert.deepEqual(t.warnings, []);
    assert.deepEqual(t.root, { name: 'empty', version: '0.0.0', path: d });
  });
});

describe('loadTree with links, workspaces and odd node_modules entries (temp copy)', () => {
  let dir: string;
  let outside: string;
  let tree: LoadedTree;
  before(async () => {
    dir = tempCopy('tree-basic');
    outside = tempDir();
    const pkgFile = path.join(dir, 'package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as Record<string, unknown>;
    pkg.workspaces = ['packages/*'];
    (pkg.dependencies as Record<string, string>).linked = `file:${outside}/linked`;
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
    fs.mkdirSync(path.join(dir, 'packages', 'ws-a'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'packages', 'ws-a', 'package.json'), '{"name":"ws-a","version":"0.0.1","dependencies":{"b":"^1.0.0"}}');
    fs.mkdirSync(path.join(outside, 'linked'));
    fs.writeFileSync(path.join(outside, 'linked', 'package.json'), '{"name":"linked","version":"3.0.0"}');
    const nm = path.join(dir, 'node_modules');
    fs.symlinkSync('../packages/ws-a', path.join(nm, 'ws-a'));
    fs.symlinkSync(path.join(outside, 'linked'), path.join(nm, 'linked'));
    fs.symlinkSync('../nowhere', path.join(nm, 'dangling'));
    fs.symlinkSync('.', path.join(nm, 'nm-loop'));
    fs.symlinkSync('..', path.join(nm, 'self'));
    fs.writeFileSync(path.join(nm, 'stray-file.txt'), 'not a package');
    tree = await loadTree(dir);
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  test('a workspace is one unit at its real folder, flagged workspace and link', () => {
    const ws = tree.packages.filter((p) => p.name === 'ws-a');
    assert.equal(ws.length, 1);
    assert.equal(ws[0].location, 'packages/ws-a');
    assert.equal(ws[0].path, path.join(dir, 'packages', 'ws-a'));
    assert.equal(ws[0].isWorkspace, true);
    assert.equal(ws[0].isLink, true);
    assert.deepEqual(ws[0].paths, [['basic-app', 'ws-a']]);
  });

  test('a link out of the tree is one unit at its target, with the target package.json', () => {
    const linked = tree.packages.filter((p) => p.name === 'linked');
    assert.equal(linked.length, 1);
    assert.equal(linked[0].path, path.join(outside, 'linked'));
    assert.equal(linked[0].version, '3.0.0');
    assert.equal(linked[0].isLink, true);
    assert.ok(linked[0].location.startsWith('../'), linked[0].location);
    assert.deepEqual(linked[0].paths, [['basic-app', 'linked']]);
  });

  test('a package needed through a workspace now has paths through both', () => {
    const b = byLocation(tree, 'node_modules/b');
    assert.deepEqual(b.paths, [
      ['basic-app', 'dev-a', 'b'],
      ['basic-app', 'ws-a', 'b'],
    ]);
    assert.equal(b.dev, false); // the workspace needs it in production
  });

  test('dangling link, link to node_modules itself, link to the root, stray file: warnings, no crash', () => {
    const w = tree.warnings.join('\n');
    assert.match(w, /node_modules\/dangling: symlink to \.\.\/nowhere whose target does not exist; skipped/);
    assert.match(w, /node_modules\/nm-loop: symlink to .*node_modules, which is not a package folder; skipped/);
    assert.match(w, /node_modules\/stray-file\.txt: not a package folder \(a file in node_modules\); skipped/);
    const locations = tree.packages.map((p) => p.location);
    for (const gone of ['node_modules/dangling', 'node_modules/nm-loop', 'node_modules/self', 'node_modules/stray-file.txt', 'node_modules']) {
      assert.ok(!locations.includes(gone), gone);
    }
    // the loop link must not make arborist think the real dependencies are missing
    assert.doesNotMatch(w, /is not installed/);
    assert.equal(flags(byLocation(tree, 'node_modules/dev-a')), 'dev');
  });
});

describe('loadTree on package.json files of odd shapes (temp dir)', () => {
  let dir: string;
  let tree: LoadedTree;
  before(async () => {
    dir = tempDir();
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"odd","version":"1.0.0","dependencies":{"arr":"*"}}');
    const pkgs: Record<string, string> = {
      arr: '[]',
      nul: 'null',
      str: '"x"',
      noname: '{"version":"1.0.0"}',
      objver: '{"name":"objver","version":{"a":1}}',
      fine: '{"name":"fine","version":"1.0.0"}',
    };
    for (const [name, text] of Object.entries(pkgs)) {
      fs.mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
      fs.writeFileSync(path.join(dir, 'node_modules', name, 'package.json'), text);
    }
    tree = await loadTree(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('each is a unit with a plain-object pkg, a string version and a warning saying what is wrong', () => {
    assert.deepEqual(tree.warnings, [
      'node_modules/arr: package.json is not a JSON object (an array); scanned without it',
      'node_modules/noname: package.json has no "name" (using the folder name)',
      'node_modules/nul: package.json is not a JSON object (null); scanned without it',
      'node_modules/objver: package.json has a "version" that is not a string',
      'node_modules/str: package.json is not a JSON object (string); scanned without it',
    ]);
    assert.equal(tree.packages.length, 6);
    for (const p of tree.packages) {
      assert.equal(typeof p.version, 'string', p.location);
      assert.ok(p.pkg && typeof p.pkg === 'object' && !Array.isArray(p.pkg), p.location);
      assert.equal(p.warnings.length, p.name === 'fine' ? 0 : 1, p.location);
    }
    assert.equal(byLocation(tree, 'node_modules/noname').name, 'noname');
  });
});

describe('loadTree reads package.json files, not the hidden lockfile (temp copy)', () => {
  let dir: string;
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a fresh, complete node_modules/.package-lock.json does not replace package.json contents', async () => {
    dir = tempCopy('tree-basic');
    fs.rmSync(path.join(dir, 'package-lock.json'));
    const nm = path.join(dir, 'node_modules');
    const packages: Record<string, { version: string; integrity: string }> = {};
    for (const loc of [
      'node_modules/@scope/scoped', 'node_modules/b', 'node_modules/broken', 'node_modules/dev-a',
      'node_modules/esm-pkg', 'node_modules/nested-nm', 'node_modules/nopkg', 'node_modules/opt-a',
      'node_modules/peer-a', 'node_modules/prod-a', 'node_modules/prod-a/node_modules/b',
      'node_modules/shared', 'node_modules/stray', 'node_modules/tool',
    ]) {
      let version = '1.0.0';
      try {
        version = (JSON.parse(fs.readFileSync(path.join(dir, loc, 'package.json'), 'utf8')) as { version: string }).version;
      } catch {
        // broken or missing package.json: the lockfile claims 1.0.0
      }
      packages[loc] = { version, integrity: `sha512-hidden-${loc}` };
    }
    fs.writeFileSync(
      path.join(nm, '.package-lock.json'),
      JSON.stringify({ name: 'basic-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }),
    );
    const t = await loadTree(dir);
    const tool = byLocation(t, 'node_modules/tool');
    assert.deepEqual(tool.pkg.scripts, { postinstall: 'node scripts/setup.js', test: 'node test/run.js' });
    assert.deepEqual(byLocation(t, 'node_modules/broken').pkg, {});
    assert.match(t.warnings.join('\n'), /node_modules\/broken: package\.json is not valid JSON/);
    assert.equal(flags(byLocation(t, 'node_modules/dev-a')), 'dev');
    // integrity still comes from it, where the version matches the folder
    assert.equal(tool.integrity, 'sha512-hidden-node_modules/tool');
    assert.equal(byLocation(t, 'node_modules/broken').integrity, null);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
