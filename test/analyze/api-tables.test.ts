// One module of API tables (src/analyze/api.ts): no other file of the analysis stage keeps its own
// copy of a table (an array, Set or regex alternation of the same names), because copies drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from '../../src/analyze/api.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const analyzeDir = join(root, 'src/analyze');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every list of names a file writes: `['a', 'b']` literals and regex alternations `(?:a|b)`. */
function nameLists(text: string): string[][] {
  const lists: string[][] = [];
  for (const m of text.matchAll(/\[([^[\]]*)\]/g)) {
    const names = [...m[1].matchAll(/'([^'\n]*)'/g)].map((x) => x[1]);
    if (names.length >= 3) lists.push(names);
  }
  for (const m of text.matchAll(/\((?:\?:)?([\w$]+(?:\|[\w$]+){2,})\)/g)) lists.push(m[1].split('|'));
  return lists;
}

const tables = Object.entries(api).flatMap(([name, v]): [string, Set<string>][] =>
  v instanceof Set ? [[name, v as Set<string>]] : Array.isArray(v) ? [[name, new Set(v as string[])]] : [],
);

test('the API tables exist and cover the names the drift misses were about', () => {
  assert.ok(api.FS_MODULES.has('original-fs') && api.FS_MODULES.has('fs/promises'));
  assert.ok(api.HTTP_CLIENT_MODULES.has('request-promise') && api.NETWORK_MODULES.has('request-promise'));
  for (const m of api.HTTP_CLIENT_MODULES) assert.ok(api.NETWORK_MODULES.has(m), `${m}: every HTTP client is a network module`);
  assert.ok(tables.length >= 15);
});

test('no file under src/analyze keeps its own copy of an API table', () => {
  const files = sources(analyzeDir).filter((f) => !f.endsWith(`${'/'}api.ts`));
  assert.ok(files.length > 20, 'the analysis sources are found next to the build');
  const copies: string[] = [];
  for (const file of files) {
    for (const list of nameLists(readFileSync(file, 'utf8'))) {
      for (const [name, table] of tables) {
        if (table.size < 3) continue;
        const shared = list.filter((n) => table.has(n)).length;
        // a copy: most of a table written out again (a few shared words are a different concept)
        if (shared >= 3 && shared >= 0.75 * table.size) copies.push(`${relative(root, file)} repeats ${name} (${shared}/${table.size}): ${list.slice(0, 6).join(', ')}…`);
      }
    }
  }
  assert.deepEqual(copies, []);
});

test('the copy check finds a copy (it can fail)', () => {
  const copy = "const MODS = new Set(['fs', 'fs/promises', 'fs-extra', 'graceful-fs']);";
  const lists = nameLists(copy);
  assert.ok(lists.some((l) => l.filter((n) => api.FS_MODULES.has(n)).length >= 0.75 * api.FS_MODULES.size));
});
