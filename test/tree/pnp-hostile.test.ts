// Yarn Plug'n'Play projects are hostile input like any tree: a .pnp.cjs is data and never runs,
// archives with "../" names, absolute names, symlinks and zip bombs write nothing outside the
// temp folder, and the project is never written to. Archives are made here with a minimal writer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { loadTree } from '../../src/tree/load-tree.js';
import { ZIP_LIMITS } from '../../src/tree/zip-package.js';
import { snapshot, tmpDir, writeJson } from '../policy/util.js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface ZipEntry {
  name: string;
  data?: Buffer | string;
  /** unix mode for the external attributes (0o120777 = symlink). */
  mode?: number;
}

/** A deflate zip, as Yarn writes them (made by unix, mode in the high external-attribute bits). */
function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const raw = Buffer.from(e.data ?? '');
    const body = zlib.deflateRawSync(raw);
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? (e.name.endsWith('/') ? 0o40755 : 0o100644)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A PnP project: root depends on each package; each lives in .yarn/cache/<name>.zip. */
function pnpProject(packages: { name: string; entries: ZipEntry[] }[], cjsBody = ''): string {
  const root = path.join(tmpDir('env-audit-pnp-'), 'app');
  fs.mkdirSync(path.join(root, '.yarn', 'cache'), { recursive: true });
  writeJson(path.join(root, 'package.json'), { name: 'app', version: '1.0.0', dependencies: Object.fromEntries(packages.map((p) => [p.name, '^1.0.0'])) });
  const registry: unknown[] = [
    [null, [[null, { packageLocation: './', packageDependencies: packages.map((p) => [p.name, 'npm:1.0.0']), linkType: 'SOFT' }]]],
    ['app', [['workspace:.', { packageLocation: './', packageDependencies: packages.map((p) => [p.name, 'npm:1.0.0']), linkType: 'SOFT' }]]],
  ];
  for (const p of packages) {
    fs.writeFileSync(path.join(root, '.yarn', 'cache', `${p.name}-npm-1.0.0.zip`), makeZip(p.entries));
    registry.push([p.name, [['npm:1.0.0', { packageLocation: `./.yarn/cache/${p.name}-npm-1.0.0.zip/node_modules/${p.name}/`, packageDependencies: [[p.name, 'npm:1.0.0']], linkType: 'HARD' }]]]);
  }
  const state = JSON.stringify({ dependencyTreeRoots: [{ name: 'app', reference: 'workspace:.' }], packageRegistryData: registry });
  // the map as Yarn inlines it, after code that would leave a mark if anything ran the file
  fs.writeFileSync(
    path.join(root, '.pnp.cjs'),
    `#!/usr/bin/env node\n/* eslint-disable */\n"use strict";\n${cjsBody}\nconst RAW_RUNTIME_STATE =\n${JSON.stringify(state)};\nmodule.exports = {};\n`,
  );
  return root;
}

const pkgJson = (name: string): ZipEntry => ({ name: `node_modules/${name}/package.json`, data: JSON.stringify({ name, version: '1.0.0', main: 'index.js' }) });

test('PnP: the map is read from .pnp.cjs without running it; packages come from the archives, dependency paths from the map', async () => {
  const marker = path.join(os.tmpdir(), `env-audit-pnp-ran-${process.pid}`);
  const root = pnpProject(
    [{ name: 'good', entries: [{ name: 'node_modules/', mode: 0o40755 }, pkgJson('good'), { name: 'node_modules/good/index.js', data: 'module.exports = process.env.GOOD_TOKEN;' }] }],
    `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');`,
  );
  const before = snapshot(root);
  const tree = await loadTree(root);
  try {
    assert.deepEqual(tree.packages.map((p) => [p.name, p.location, p.paths]), [['good', '.yarn/cache/good-npm-1.0.0.zip/node_modules/good', [['app', 'good']]]]);
    const unit = tree.packages[0];
    assert.equal(fs.readFileSync(path.join(unit.path, 'index.js'), 'utf8'), 'module.exports = process.env.GOOD_TOKEN;');
    assert.ok(!unit.path.startsWith(root), 'unpacked inside the project');
  } finally {
    tree.cleanup?.();
  }
  assert.ok(!fs.existsSync(marker), '.pnp.cjs was executed');
  assert.deepEqual(snapshot(root), before);
  assert.ok(!fs.existsSync(tree.packages[0].path), 'cleanup left the temp folder');
});

test('PnP: "../", absolute and backslash names, symlinks and devices in an archive are never written', async () => {
  const outsideName = `escaped-${process.pid}.js`;
  const root = pnpProject([
    {
      name: 'evil',
      entries: [
        pkgJson('evil'),
        { name: 'node_modules/evil/index.js', data: 'module.exports = 1;' },
        { name: `node_modules/evil/../../../../${outsideName}`, data: 'pwned' },
        { name: `/tmp/${outsideName}`, data: 'pwned' },
        { name: 'node_modules/evil/a\\..\\..\\b.js', data: 'pwned' },
        { name: 'node_modules/evil/link.js', data: '/etc/passwd', mode: 0o120777 },
        { name: 'node_modules/evil/fifo', data: '', mode: 0o010644 },
      ],
    },
  ]);
  const tree = await loadTree(root);
  try {
    const unit = tree.packages.find((p) => p.name === 'evil')!;
    const written = fs.readdirSync(unit.path).sort();
    assert.deepEqual(written, ['index.js', 'package.json']);
    assert.ok(!fs.existsSync(path.join(os.tmpdir(), outsideName)));
    assert.ok(!fs.existsSync(path.join(path.dirname(unit.path), outsideName)));
    assert.ok(tree.warnings.some((w) => /archive entr(y|ies) not written/.test(w) && /symlink/.test(w)), tree.warnings.join('\n'));
  } finally {
    tree.cleanup?.();
  }
});

test('PnP: a zip bomb stops at the size cap with a warning; the rest of the tree is still loaded', async () => {
  const saved = ZIP_LIMITS.bytes;
  ZIP_LIMITS.bytes = 4 * 1024 * 1024;
  try {
    const root = pnpProject([
      { name: 'bomb', entries: [pkgJson('bomb'), ...Array.from({ length: 3 }, (_, i) => ({ name: `node_modules/bomb/big${i}.js`, data: Buffer.alloc(3 * 1024 * 1024, 0x20) }))] },
      { name: 'fine', entries: [pkgJson('fine'), { name: 'node_modules/fine/index.js', data: 'module.exports = 2;' }] },
    ]);
    const tree = await loadTree(root);
    try {
      assert.deepEqual(tree.packages.map((p) => p.name).sort(), ['bomb', 'fine']);
      assert.ok(tree.warnings.some((w) => /bomb.*over 4194304 bytes unpacked; the rest was not scanned/.test(w)), tree.warnings.join('\n'));
      const bomb = tree.packages.find((p) => p.name === 'bomb')!;
      const bytes = fs.readdirSync(bomb.path).reduce((n, f) => n + fs.statSync(path.join(bomb.path, f)).size, 0);
      assert.ok(bytes <= 4 * 1024 * 1024, `wrote ${bytes} bytes`);
    } finally {
      tree.cleanup?.();
    }
  } finally {
    ZIP_LIMITS.bytes = saved;
  }
});

test('PnP: a .pnp.cjs with no map, or a damaged archive, is a clear message or a warning, never a crash', async () => {
  const root = pnpProject([{ name: 'ok', entries: [pkgJson('ok')] }]);
  fs.writeFileSync(path.join(root, '.yarn', 'cache', 'ok-npm-1.0.0.zip'), 'not a zip at all');
  const tree = await loadTree(root);
  tree.cleanup?.();
  assert.ok(tree.warnings.some((w) => /ok-npm-1\.0\.0\.zip.*the archive cannot be read/.test(w)), tree.warnings.join('\n'));

  fs.writeFileSync(path.join(root, '.pnp.cjs'), 'module.exports = require("./elsewhere");\n');
  await assert.rejects(loadTree(root), /\.pnp\.cjs has no RAW_RUNTIME_STATE string/);
});
