import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeFile, formatMb, looksBinary, readSource } from '../../src/scan/read-source.js';
import type { FileJob } from '../../src/model.js';

const MIB = 1024 * 1024;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-read-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

function job(absPath: string, file = path.basename(absPath)): FileJob {
  let size = 0;
  try {
    size = fs.statSync(absPath).size;
  } catch {
    // missing on purpose
  }
  return { absPath, file, sourceType: 'commonjs', packageName: 'pkg', size };
}

test('reads plain text', () => {
  const p = write('plain.js', 'module.exports = 1;\n');
  assert.deepEqual(readSource(p, MIB), { code: 'module.exports = 1;\n' });
});

test('an empty file is text', () => {
  assert.deepEqual(readSource(write('empty.js', ''), MIB), { code: '' });
});

test('invalid UTF-8 becomes replacement characters, not a skip', () => {
  const p = write('bad-utf8.js', Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x28, 0x0a]));
  assert.deepEqual(readSource(p, MIB), { code: 'a\ufffdb\ufffd(\n' });
});

test('a NUL byte in the first 8 KB means binary', () => {
  const p = write('nul.js', Buffer.concat([Buffer.from('var a = 1;'), Buffer.from([0]), Buffer.from('x')]));
  assert.deepEqual(readSource(p, MIB), { skipped: 'binary file' });
});

test('a NUL byte after the first 8 KB does not', () => {
  const p = write('late-nul.js', Buffer.concat([Buffer.alloc(9000, 0x20), Buffer.from([0])]));
  assert.ok('code' in readSource(p, MIB));
});

test('mostly control bytes means binary; ESC and whitespace do not count', () => {
  const noisy = Buffer.alloc(1000, 0x01);
  noisy.write('var x;', 0);
  assert.deepEqual(readSource(write('noisy.js', noisy), MIB), { skipped: 'binary file' });
  assert.equal(looksBinary(Buffer.from('\x1b[31mred\x1b[0m\t\r\n\f\v'.repeat(50))), false);
});

test('oversize files are skipped with both sizes in MB', () => {
  const p = write('big.js', Buffer.alloc(Math.round(1.5 * MIB), 0x20));
  assert.deepEqual(readSource(p, MIB), { skipped: 'file is 1.5 MB, over the 1 MB limit', why: 'size' });
  assert.equal(formatMb(31.2 * MIB), '31.2 MB');
  assert.equal(formatMb(20 * MIB), '20 MB');
});

test('missing files, directories and FIFOs are skipped, not thrown', () => {
  assert.deepEqual(readSource(path.join(dir, 'nope.js'), MIB), { skipped: 'unreadable: ENOENT', why: 'unreadable' });
  const sub = path.join(dir, 'sub.js');
  fs.mkdirSync(sub);
  assert.deepEqual(readSource(sub, MIB), { skipped: 'not a regular file' });
  const fifo = path.join(dir, 'fifo.js');
  if (spawnSync('mkfifo', [fifo]).status === 0) {
    // must not block waiting for a writer
    assert.deepEqual(readSource(fifo, MIB), { skipped: 'not a regular file' });
  }
});

test('analyzeFile turns a skip into a parse-error finding', () => {
  const p = write('bin.js', Buffer.from([0, 1, 2, 3]));
  const r = analyzeFile(job(p, 'lib/bin.js'), { maxBytes: MIB });
  assert.equal(r.parseError, true);
  assert.equal(r.file, 'lib/bin.js');
  assert.equal(r.bytes, 4);
  assert.deepEqual(r.imports, []);
  assert.equal(r.findings.length, 1);
  const f = r.findings[0];
  assert.equal(f.rule, 'parse-error');
  assert.equal(f.file, 'lib/bin.js');
  assert.equal(f.line, 1);
  assert.equal(f.column, 0);
  assert.equal(f.detail, 'skipped: binary file');
  assert.equal(f.snippet, '');
});

test('analyzeFile reports the size limit in the detail', () => {
  const p = write('huge.js', Buffer.alloc(2 * MIB + 100, 0x20));
  const r = analyzeFile(job(p), { maxBytes: MIB });
  assert.equal(r.findings[0].detail, 'skipped: file is 2 MB, over the 1 MB limit');
});

test('analyzeFile passes text to the analyser', () => {
  const p = write('ok.js', 'exports.a = 1;\n');
  const r = analyzeFile(job(p), { maxBytes: MIB });
  assert.equal(r.parseError, false);
  assert.equal(r.bytes, 15);
});

test('analyzeFile never throws: an analyser exception becomes analysis failed', () => {
  const p = write('throws.js', 'x');
  const r = analyzeFile(job(p), {
    maxBytes: MIB,
    analyze: () => {
      throw new SyntaxError('Unexpected token (1:0)\nwith a second line');
    },
  });
  assert.equal(r.parseError, true);
  assert.equal(r.findings[0].detail, 'analysis failed: SyntaxError: Unexpected token (1:0)');
  const odd = analyzeFile(job(p), {
    maxBytes: MIB,
    analyze: () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a hostile analyser can throw
      throw null;
    },
  });
  assert.equal(odd.findings[0].detail, 'analysis failed: null');
});

test('a stack overflow in the analyser is caught', () => {
  const p = write('deep.js', 'x');
  const recurse = (n: number): number => recurse(n + 1) + 1;
  const r = analyzeFile(job(p), { maxBytes: MIB, analyze: () => ({ file: '', findings: [], imports: [], parseError: false, bytes: recurse(0) }) });
  assert.equal(r.parseError, true);
  assert.match(r.findings[0].detail, /^analysis failed: RangeError: Maximum call stack size exceeded/);
});
