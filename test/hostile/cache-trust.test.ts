// The result cache cannot turn a finding into a clean verdict: forged entries, a cache folder
// others can write to, garbled files and planted lockfile trees (issue 17's reproductions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Report } from '../../src/model.js';
import { runCliAsync, tmpDir } from '../policy/util.js';
import { STEALER_CODE, writeProject } from './fail-closed-trees.js';

const root = writeProject([{ folder: 'stealer', manifest: { name: 'stealer', version: '1.0.0', main: 'index.js' }, files: { 'index.js': STEALER_CODE } }]);

function entries(cache: string): string[] {
  const out: string[] = [];
  for (const shard of fs.existsSync(cache) ? fs.readdirSync(cache) : []) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const f of fs.readdirSync(path.join(cache, shard))) out.push(path.join(cache, shard, f));
  }
  return out;
}

/** What the attack did: keep the header, swap in a payload without findings, fix the checksums. */
function forge(file: string): void {
  const raw = fs.readFileSync(file);
  const nl = raw.indexOf(0x0a);
  const header = JSON.parse(raw.subarray(0, nl).toString('utf8')) as Record<string, unknown>;
  const results = (JSON.parse(raw.subarray(nl + 1).toString('utf8')) as { findings: unknown[] }[]).map((r) => ({ ...r, findings: [] }));
  const payload = Buffer.from(JSON.stringify(results));
  header.length = payload.length;
  header.sha256 = crypto.createHash('sha256').update(payload).digest('hex');
  fs.writeFileSync(file, Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), payload]));
}

const gate = (cache: string) => runCliAsync(['scan', root, '--cache-dir', cache, '--fail-on', 'critical', '--quiet']);

test('a forged entry (payload swapped, checksums recomputed) is rejected: the finding stays', async () => {
  const cache = path.join(tmpDir(), 'cache');
  assert.equal((await gate(cache)).status, 1);
  const files = entries(cache);
  assert.equal(files.length, 1);
  forge(files[0]);
  assert.equal((await gate(cache)).status, 1, 'a forged clean entry must not pass the gate');
  const key = fs.statSync(path.join(cache, 'key'));
  assert.equal(key.mode & 0o777, 0o600);
  assert.equal(fs.statSync(cache).mode & 0o777, 0o700);
});

test('a cache folder writable by others, or owned by someone else, is refused with a message', async () => {
  const cache = path.join(tmpDir(), 'shared');
  fs.mkdirSync(cache, { mode: 0o777 });
  fs.chmodSync(cache, 0o777);
  const r = await runCliAsync(['scan', root, '--cache-dir', cache, '--fail-on', 'critical']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /result cache off: .*writable by others/);
  assert.deepEqual(fs.readdirSync(cache), [], 'nothing written into it');
  if (process.getuid?.() === 0) {
    const theirs = path.join(tmpDir(), 'theirs');
    fs.mkdirSync(theirs, { mode: 0o700 });
    fs.chownSync(theirs, 54321, 54321);
    const t = await runCliAsync(['scan', root, '--cache-dir', theirs, '--fail-on', 'critical']);
    assert.equal(t.status, 1);
    assert.match(t.stderr, /result cache off: .*owned by uid 54321/);
  }
});

test('garbled cache files mean a rebuild, never a crash', async () => {
  const cache = path.join(tmpDir(), 'cache');
  assert.equal((await gate(cache)).status, 1);
  for (const f of entries(cache)) fs.writeFileSync(f, '\x00garbage{{');
  fs.writeFileSync(path.join(cache, 'key'), 'short', { mode: 0o600 });
  fs.mkdirSync(path.join(cache, 'lockfile-trees', 'x', 'node_modules'), { recursive: true });
  fs.writeFileSync(path.join(cache, 'lockfile-trees', 'x', '.env-audit-warnings.json'), '{{{');
  const r = await runCliAsync(['scan', root, '--cache-dir', cache, '--fail-on', 'critical', '--json']);
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.equal((JSON.parse(r.stdout) as Report).packages[0].level, 'critical');
  // and the next run is warm again, with a fresh key
  const again = await gate(cache);
  assert.equal(again.status, 1);
  assert.ok(!fs.existsSync(path.join(cache, 'lockfile-trees')), 'the old unpacked trees were pruned');
});

test('prune keeps the folder under its size cap and removes orphaned temp files', async () => {
  const cache = path.join(tmpDir(), 'cache');
  assert.equal((await gate(cache)).status, 1);
  const shard = path.join(cache, 'ab');
  fs.mkdirSync(shard, { mode: 0o700 });
  const old = new Date(Date.now() - 2 * 3600_000);
  const orphan = path.join(shard, `${'ab'.repeat(32)}.json.99999.0000.tmp`);
  fs.writeFileSync(orphan, 'half');
  fs.utimesSync(orphan, old, old);
  // an edited file makes the next scan write an entry, which triggers a prune
  fs.appendFileSync(path.join(root, 'node_modules', 'stealer', 'index.js'), '// edited\n');
  assert.equal((await gate(cache)).status, 1);
  assert.ok(!fs.existsSync(orphan));
});
