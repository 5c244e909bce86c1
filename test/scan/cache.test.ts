import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  decodeEntry,
  defaultCacheDir,
  encodeEntry,
  openCache,
  hashFile,
  packageCacheKey,
} from '../../src/scan/cache.js';
import type { FileResult } from '../../src/model.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-cache-'));
process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => path.join(root, `c${n++}`);

const results: FileResult[] = [
  {
    file: 'index.js',
    findings: [
      { rule: 'env-read', file: 'index.js', line: 3, column: 12, detail: 'NPM_TOKEN', snippet: 'const t = process.env.NPM_TOKEN;' },
      {
        rule: 'exfiltration', file: 'index.js', line: 9, column: 0, detail: 'NPM_TOKEN → fetch', snippet: 'fetch(u, {body: t})',
        message: 'sends it', reachable: true, installTime: false, expected: false,
        flow: { source: { detail: 'NPM_TOKEN', line: 3, column: 12 }, sink: { detail: 'fetch', line: 9, column: 0 } },
      },
    ],
    imports: ['node:https', './lib/util.js'],
    parseError: false,
    bytes: 1234,
  },
  { file: 'lib/util.js', findings: [], imports: [], parseError: false, bytes: 10 },
];

const limits = { maxFileBytes: 20 * 1024 * 1024, inline: false };
const key = packageCacheKey({
  name: 'pkg', version: '1.0.0', inline: false,
  files: [{ file: 'index.js', sourceType: 'commonjs', sha256: 'a'.repeat(64) }, { file: 'lib/util.js', sourceType: 'commonjs', sha256: 'b'.repeat(64) }],
});
const secret = Buffer.alloc(32, 7);

function entryFile(dir: string, k: string): string {
  return path.join(dir, k.slice(0, 2), `${k}.json`);
}

test('round trip, also across a new openCache', () => {
  const dir = freshDir();
  const cache = openCache(dir);
  assert.equal(cache.enabled, true);
  assert.equal(cache.get(key), null);
  cache.set(key, results);
  assert.deepEqual(cache.get(key), results);
  assert.deepEqual(openCache(dir).get(key), results);
  assert.ok(fs.existsSync(entryFile(dir, key)), 'sharded by the first two hex chars');
  assert.deepEqual(fs.readdirSync(path.join(dir, key.slice(0, 2))), [`${key}.json`], 'no temp files left');
  assert.deepEqual({ ...cache.stats }, { hits: 1, misses: 1, rejected: 0, writes: 1 });
});

test('corrupt entries are ignored, never thrown', () => {
  const dir = freshDir();
  const cache = openCache(dir);
  cache.set(key, results);
  const file = entryFile(dir, key);
  const good = fs.readFileSync(file);

  const corruptions: [string, Buffer][] = [
    ['truncated', good.subarray(0, good.length - 5)],
    ['truncated in the header', good.subarray(0, 20)],
    ['empty', Buffer.alloc(0)],
    ['payload byte flipped', Buffer.from(good).fill(good[good.length - 3] ^ 1, good.length - 3, good.length - 2)],
    ['header byte flipped', Buffer.from(good).fill(0x7b, 2, 3)],
    ['garbage', Buffer.from('\x00\xff garbage {{{ \n ]]]')],
    ['json but not an entry', Buffer.from('[]\n[]')],
  ];
  for (const [what, bytes] of corruptions) {
    fs.writeFileSync(file, bytes);
    assert.equal(cache.get(key), null, what);
  }
  assert.equal(cache.stats.rejected, corruptions.length);
  // and it recovers: a new write replaces the bad entry
  cache.set(key, results);
  assert.deepEqual(cache.get(key), results);
});

test('an entry from another analyser version is ignored', () => {
  const dir = freshDir();
  const cache = openCache(dir);
  cache.set(key, results);
  const file = entryFile(dir, key);
  const raw = fs.readFileSync(file, 'utf8');
  const nl = raw.indexOf('\n');
  const header = JSON.parse(raw.slice(0, nl)) as Record<string, unknown>;
  header.analyzer = 'some-other-version';
  fs.writeFileSync(file, JSON.stringify(header) + raw.slice(nl));
  assert.equal(cache.get(key), null);
});

test('an entry stored under the wrong key is ignored', () => {
  const dir = freshDir();
  const cache = openCache(dir);
  cache.set(key, results);
  const other = 'ab' + key.slice(2);
  fs.mkdirSync(path.dirname(entryFile(dir, other)), { recursive: true });
  fs.copyFileSync(entryFile(dir, key), entryFile(dir, other));
  assert.equal(cache.get(other), null);
});

test('well-formed entries with the wrong shape are rejected', () => {
  const bad: unknown[] = [
    [{ ...results[0], findings: [{ ...results[0].findings[0], rule: 'not-a-rule' }] }],
    [{ ...results[0], bytes: 'many' }],
    [{ ...results[0], imports: [1] }],
    [{ ...results[0], findings: [{ ...results[0].findings[0], line: null }] }],
    [{ ...results[0], findings: [{ ...results[0].findings[1], flow: { source: {} } }] }],
    [{ ...results[0], parseError: 'no' }],
    { not: 'an array' },
    [null],
  ];
  for (const v of bad) assert.equal(decodeEntry(encodeEntry(key, v as FileResult[], secret), key, secret), null, JSON.stringify(v).slice(0, 80));
  assert.deepEqual(decodeEntry(encodeEntry(key, results, secret), key, secret), results);
});

test('keys that are not sha256 hex are refused (no path tricks)', () => {
  const cache = openCache(freshDir());
  cache.set('../../escape', results);
  assert.equal(cache.get('../../escape'), null);
  assert.equal(cache.stats.writes, 0);
});

test('an unwritable cache dir disables the cache with one warning', () => {
  const blocker = path.join(root, 'a-file');
  fs.writeFileSync(blocker, '');
  const cache = openCache(path.join(blocker, 'cache')); // ENOTDIR, even for root
  assert.equal(cache.enabled, false);
  assert.equal(cache.warnings.length, 1);
  assert.match(cache.warnings[0], /result cache off/);
  cache.set(key, results);
  assert.equal(cache.get(key), null);
  assert.equal(cache.warnings.length, 1);
});

test('a write failing later disables the cache once', () => {
  const dir = freshDir();
  const cache = openCache(dir);
  fs.writeFileSync(path.join(dir, key.slice(0, 2)), 'not a directory');
  cache.set(key, results);
  cache.set(key, results);
  assert.equal(cache.enabled, false);
  assert.equal(cache.warnings.length, 1);
});

test('openCache(null) is a no-op cache', () => {
  const cache = openCache(null);
  assert.equal(cache.enabled, false);
  assert.deepEqual(cache.warnings, []);
  cache.set(key, results);
  assert.equal(cache.get(key), null);
});

test('prune removes entries unused for 30 days', () => {
  const dir = freshDir();
  const cache = openCache(dir);
  cache.set(key, results);
  const k2 = 'ff' + key.slice(2);
  cache.set(k2, results);
  const old = new Date(Date.now() - 40 * 86_400_000);
  fs.utimesSync(entryFile(dir, key), old, old);
  assert.equal(cache.prune(), 1);
  assert.ok(fs.existsSync(path.join(dir, 'key')), 'the secret key stays');
  assert.equal(cache.get(key), null);
  assert.deepEqual(cache.get(k2), results);
});

test('prune: the least recently used entries go first once the folder is over its cap', () => {
  const dir = freshDir();
  const cache = openCache(dir);
  const keys = ['11', '22', '33'].map((p) => p + key.slice(2));
  keys.forEach((k, i) => {
    cache.set(k, results);
    const t = new Date(Date.now() - (10 - i) * 86_400_000); // 11 oldest
    fs.utimesSync(entryFile(dir, k), t, t);
  });
  const size = fs.statSync(entryFile(dir, keys[0])).size;
  assert.equal(cache.prune({ maxBytes: size * 2 }), 2, 'down to 90% of the cap');
  assert.equal(cache.get(keys[0]), null);
  assert.equal(cache.get(keys[1]), null);
  assert.deepEqual(cache.get(keys[2]), results);
});

test('packageCacheKey: order-free, and sensitive to every input', () => {
  const base = {
    name: 'pkg', version: '1.0.0', inline: false,
    files: [{ file: 'a.js', sourceType: 'commonjs', sha256: '1'.repeat(64) }, { file: 'b.js', sourceType: 'commonjs', sha256: '2'.repeat(64) }],
  };
  const k = packageCacheKey(base);
  assert.match(k, /^[0-9a-f]{64}$/);
  assert.equal(packageCacheKey({ ...base, files: [...base.files].reverse() }), k);
  const variants = [
    { ...base, name: 'pkg2' },
    { ...base, version: '1.0.1' },
    { ...base, inline: true },
    { ...base, files: [{ ...base.files[0], sha256: '3'.repeat(64) }, base.files[1]] },
    { ...base, files: [{ ...base.files[0], sourceType: 'module' }, base.files[1]] },
    { ...base, files: [base.files[0]] },
    { ...base, files: [base.files[0], { ...base.files[1], file: 'c.js' }] },
  ];
  for (const v of variants) assert.notEqual(packageCacheKey(v), k, JSON.stringify(v));
});

test('keyFor hashes the bytes: same bytes with new times hit (after npm ci), changed bytes miss', () => {
  const dir = freshDir();
  fs.mkdirSync(dir);
  const p = path.join(dir, 'x.js');
  fs.writeFileSync(p, 'hello');
  const cache = openCache(path.join(dir, 'cache'));
  const job = { absPath: p, file: 'x.js', sourceType: 'commonjs' as const, packageName: 'p', size: 5 };
  const before = cache.keyFor({ name: 'p', version: '1' }, [job], limits);
  assert.ok(before);
  fs.rmSync(p);
  fs.writeFileSync(p, 'hello');
  fs.utimesSync(p, new Date(2000, 1, 1), new Date(2000, 1, 1));
  assert.equal(cache.keyFor({ name: 'p', version: '1' }, [job], limits), before);
  const st = fs.statSync(p);
  fs.writeFileSync(p, 'HELLO');
  fs.utimesSync(p, st.atime, st.mtime); // mtime put back does not help
  assert.notEqual(cache.keyFor({ name: 'p', version: '1' }, [job], limits), before);
  assert.equal(hashFile(path.join(dir, 'gone.js'), 100), null);
  assert.equal(cache.keyFor({ name: 'p', version: '1' }, [job], { ...limits, maxFileBytes: 3 }), null, 'a file over the size limit: never looked up');
  assert.equal(cache.keyFor({ name: 'p', version: '1' }, [{ ...job, absPath: path.join(dir, 'gone.js') }], limits), null);
});

test('defaultCacheDir', () => {
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }), path.join('/x/cache', 'env-audit'));
  if (process.platform !== 'win32') {
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/u'), '/home/u/.cache/env-audit');
    assert.equal(defaultCacheDir({}, '/home/u'), '/home/u/.cache/env-audit');
    assert.equal(defaultCacheDir({}, null), null, 'no home: no default cache');
  }
});

test('entries contain results only, nothing from this process environment', () => {
  const dir = freshDir();
  const cache = openCache(dir);
  process.env.ENV_AUDIT_TEST_SECRET = 'hunter2-value-that-must-not-leak';
  try {
    cache.set(key, results);
    assert.ok(!fs.readFileSync(entryFile(dir, key), 'utf8').includes('hunter2'));
  } finally {
    delete process.env.ENV_AUDIT_TEST_SECRET;
  }
});
