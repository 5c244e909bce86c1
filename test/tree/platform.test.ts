// npm's os/cpu/libc rule for optional platform packages, and Berry's "conditions" spelling of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { berryConditions, platformMismatch } from '../../src/tree/platform.js';

test('platformMismatch: allowed lists, "!" exclusions, libc on Linux only', () => {
  assert.equal(platformMismatch({}, 'linux', 'x64', 'glibc'), null);
  assert.equal(platformMismatch({ os: ['linux'], cpu: ['x64'] }, 'linux', 'x64', 'glibc'), null);
  assert.equal(platformMismatch({ os: ['darwin'] }, 'linux', 'x64', 'glibc'), 'not installed for this platform (os darwin; this is linux x64)');
  assert.equal(platformMismatch({ os: ['!win32'] }, 'linux', 'x64', 'glibc'), null);
  assert.equal(platformMismatch({ os: ['!win32'] }, 'win32', 'x64', null), 'not installed for this platform (os !win32; this is win32 x64)');
  assert.equal(platformMismatch({ os: 'linux', cpu: 'arm64' }, 'linux', 'x64', 'glibc'), 'not installed for this platform (os linux, cpu arm64; this is linux x64)');
  assert.equal(
    platformMismatch({ os: ['linux'], cpu: ['x64'], libc: ['musl'] }, 'linux', 'x64', 'glibc'),
    'not installed for this platform (os linux, cpu x64, libc musl; this is linux x64 glibc)',
  );
  assert.equal(platformMismatch({ os: ['linux'], libc: ['musl'] }, 'linux', 'x64', 'musl'), null);
  assert.equal(platformMismatch({ libc: ['musl'] }, 'darwin', 'arm64', null), null);
  // garbage in a hostile manifest is ignored, as npm ignores it
  assert.equal(platformMismatch({ os: 42, cpu: [null] }, 'linux', 'x64', 'glibc'), null);
});

test('berryConditions: os, cpu and libc out of a condition expression', () => {
  assert.deepEqual(berryConditions('os=linux & cpu=x64 & libc=musl'), { os: ['linux'], cpu: ['x64'], libc: ['musl'] });
  assert.deepEqual(berryConditions(undefined), {});
});
