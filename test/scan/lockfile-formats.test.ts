// The lockfile readers on the shapes the e2e fixture does not produce: pnpm-lock.yaml v6 (packages
// keyed "/name@version", peer suffixes, aliases), git and folder resolutions, Yarn classic's quoting
// and multi-range keys, and Berry's non-registry resolutions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { pnpmLockGraph } from '../../src/scan/lockfile-pnpm.js';
import { parseYarnClassic, yarnBerryGraph, yarnClassicGraph } from '../../src/scan/lockfile-yarn.js';
import { pnpmPackageKey } from '../../src/tree/pnpm.js';

const V6 = `lockfileVersion: '6.0'

dependencies:
  '@s/a':
    specifier: ^1.0.0
    version: 1.0.0(react@18.2.0)
  b-alias:
    specifier: npm:b@^2.0.0
    version: /b@2.0.0
  local:
    specifier: link:../local
    version: link:../local

devDependencies:
  gitdep:
    specifier: github:o/gitdep
    version: github.com/o/gitdep/abc123

packages:

  /@s/a@1.0.0(react@18.2.0):
    resolution: {integrity: sha512-AAA=}
    dependencies:
      b: 2.0.0
    dev: false

  /b@2.0.0:
    resolution: {integrity: sha512-BBB=}
    os: [darwin]
    dev: false

  github.com/o/gitdep/abc123:
    resolution: {tarball: https://codeload.github.com/o/gitdep/tar.gz/abc123}
    name: gitdep
    version: 0.1.0
    dev: true
`;

test('pnpm-lock.yaml v6: keys with peer suffixes, aliases, links and git tarballs', () => {
  const g = pnpmLockGraph(parse(V6) as Record<string, unknown>);
  assert.equal(g.format, 'pnpm-lock.yaml v6.0');
  assert.deepEqual(g.rootDeps.map((d) => `${d.name} ${d.type} ${d.to}`), [
    '@s/a prod /@s/a@1.0.0(react@18.2.0)',
    'b-alias prod /b@2.0.0',
    'gitdep dev github.com/o/gitdep/abc123',
  ]);
  const a = g.packages.get('/@s/a@1.0.0(react@18.2.0)')!;
  assert.equal(a.name, '@s/a');
  assert.equal(a.version, '1.0.0');
  assert.equal(a.spec, '@s/a@1.0.0');
  assert.equal(a.integrity, 'sha512-AAA=');
  assert.deepEqual(a.deps, [{ name: 'b', type: 'prod', to: '/b@2.0.0' }]);
  assert.deepEqual(g.packages.get('/b@2.0.0')!.os, ['darwin']);
  const git = g.packages.get('github.com/o/gitdep/abc123')!;
  assert.equal(git.spec, null);
  assert.match(git.notFetched!, /no integrity in the lockfile/);
  assert.ok(g.warnings.some((w) => w.includes('local (link:../local)')), g.warnings.join('\n'));
});

test('pnpm-lock.yaml before v6 is refused with what to run', () => {
  assert.throws(() => pnpmLockGraph({ lockfileVersion: 5.4, packages: {} }), /lockfileVersion 5\.4 is not supported .*pnpm install --lockfile-only/);
});

test('pnpm package keys: v5, v6 and v9 spellings give name@version', () => {
  assert.equal(pnpmPackageKey('/@s/a/1.0.0_react@18.2.0'), '@s/a@1.0.0');
  assert.equal(pnpmPackageKey('/@s/a@1.0.0(react@18.2.0)(b@1.0.0)'), '@s/a@1.0.0');
  assert.equal(pnpmPackageKey('@s/a@1.0.0'), '@s/a@1.0.0');
});

const CLASSIC = `# yarn lockfile v1


"@s/a@^1.0.0", "@s/a@^1.0.1":
  version "1.0.2"
  resolved "https://registry.example/@s/a/-/a-1.0.2.tgz#deadbeef"
  integrity sha512-AAA=
  dependencies:
    b "^2.0.0"

b@^2.0.0:
  version "2.1.0"
  resolved "https://registry.example/b/-/b-2.1.0.tgz"
  integrity sha512-BBB=

g@github:o/g:
  version "0.1.0"
  resolved "https://codeload.github.com/o/g/tar.gz/abc"
`;

test('yarn.lock v1: multi-range keys share an entry; git hosts are not fetched; the root resolves through package.json ranges', () => {
  const entries = parseYarnClassic(CLASSIC);
  assert.equal(entries.get('@s/a@^1.0.0'), entries.get('@s/a@^1.0.1'));
  assert.equal(entries.get('@s/a@^1.0.0')!.integrity, 'sha512-AAA=');
  const g = yarnClassicGraph(CLASSIC, { dependencies: { '@s/a': '^1.0.1', g: 'github:o/g', missing: '^1.0.0' } });
  assert.deepEqual(g.rootDeps.map((d) => `${d.name} ${d.to}`), ['@s/a @s/a@1.0.2', 'g g@0.1.0']);
  const a = g.packages.get('@s/a@1.0.2')!;
  assert.equal(a.spec, '@s/a@https://registry.example/@s/a/-/a-1.0.2.tgz');
  assert.deepEqual(a.deps, [{ name: 'b', type: 'prod', to: 'b@2.1.0' }]);
  assert.equal(g.packages.get('g@0.1.0')!.spec, null);
  assert.ok(g.warnings.some((w) => w.includes('does not lock missing@^1.0.0')), g.warnings.join('\n'));
});

test('yarn.lock (Berry): registry resolutions are fetched by name@version; patch: and git are not; conditions become os/cpu', () => {
  const text = `__metadata:
  version: 8
  cacheKey: 10c0

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    a: "npm:^1.0.0"
    p: "patch:p@npm%3A1.0.0#~/.yarn/patches/p.patch"
  languageName: unknown
  linkType: soft

"a@npm:^1.0.0":
  version: 1.2.0
  resolution: "a@npm:1.2.0"
  dependencies:
    bin-linux: "npm:1.0.0"
  dependenciesMeta:
    bin-linux:
      optional: true
  checksum: 10c0/abc
  languageName: node
  linkType: hard

"bin-linux@npm:1.0.0":
  version: 1.0.0
  resolution: "bin-linux@npm:1.0.0"
  conditions: os=linux & cpu=arm64
  languageName: node
  linkType: hard

"p@patch:p@npm%3A1.0.0#~/.yarn/patches/p.patch":
  version: 1.0.0
  resolution: "p@patch:p@npm%3A1.0.0#~/.yarn/patches/p.patch::version=1.0.0&hash=abc"
  languageName: node
  linkType: hard
`;
  const g = yarnBerryGraph(text, { dependencies: { a: '^1.0.0', p: 'patch:p@npm%3A1.0.0#~/.yarn/patches/p.patch' } });
  assert.equal(g.format, 'yarn.lock (Yarn Berry, v8)');
  assert.deepEqual(g.rootDeps.map((d) => d.name), ['a', 'p']);
  const a = g.packages.get('a@npm:1.2.0')!;
  assert.equal(a.spec, 'a@1.2.0');
  assert.deepEqual(a.deps, [{ name: 'bin-linux', type: 'optional', to: 'bin-linux@npm:1.0.0' }]);
  assert.deepEqual([g.packages.get('bin-linux@npm:1.0.0')!.os, g.packages.get('bin-linux@npm:1.0.0')!.cpu], [['linux'], ['arm64']]);
  const p = [...g.packages.values()].find((x) => x.name === 'p')!;
  assert.equal(p.spec, null);
  assert.ok(!g.packages.has('app@workspace:.'));
});
