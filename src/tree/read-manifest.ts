// Reading a package manager's own files (package.json of a store package, .modules.yaml, the PnP
// map, lockfiles) from a tree that may be hostile: never a FIFO or device, never unbounded.
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { specialFileKind } from '../files/special-file.js';

/** Larger than any real manifest or lockfile of a big monorepo; a bigger one is refused. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

type ReadResult<T> = { ok: true; value: T } | { ok: false; missing: boolean; problem: string };

/** A file's text, refusing special files and files over the size cap. */
export function readText(file: string): ReadResult<string> {
  const special = specialFileKind(file);
  if (special) return { ok: false, missing: false, problem: `is ${special}, not a file` };
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    const code = (err as { code?: string }).code;
    return { ok: false, missing: code === 'ENOENT' || code === 'ENOTDIR', problem: code ?? String(err) };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, missing: false, problem: 'is not a file' };
    if (st.size > MAX_MANIFEST_BYTES) return { ok: false, missing: false, problem: `is ${st.size} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit` };
    return { ok: true, value: fs.readFileSync(fd, 'utf8') };
  } finally {
    fs.closeSync(fd);
  }
}

function parsed<T>(file: string, parse: (text: string) => unknown, check: (v: unknown) => v is T): ReadResult<T> {
  const text = readText(file);
  if (!text.ok) return text;
  let value: unknown;
  try {
    value = parse(text.value);
  } catch (err) {
    return { ok: false, missing: false, problem: `cannot be parsed (${String((err as Error).message).split('\n')[0]})` };
  }
  return check(value) ? { ok: true, value } : { ok: false, missing: false, problem: 'is not an object' };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readJsonObject(file: string): ReadResult<Record<string, unknown>> {
  return parsed(file, (t) => JSON.parse(t), isObject);
}

/** YAML (pnpm's files, Berry's yarn.lock); aliases are bounded so a billion-laughs file fails. */
export function readYamlObject(file: string): ReadResult<Record<string, unknown>> {
  return parsed(file, (t) => parseYaml(t, { maxAliasCount: 1000, uniqueKeys: false }), isObject);
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
