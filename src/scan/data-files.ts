// Package data files for the analysis of one code file: the JSON files its code names
// (`require('./vendors.json')`, `import data from './x.json' with { type: 'json' }`,
// `readFileSync(join(__dirname, 'x.json'))`), read from the file's own package only, small ones only
// (a huge JSON file is not folded), a few per file. The evaluator treats them as constants
// (ci-info's vendor list names the env variables its code reads).
import fs from 'node:fs';
import path from 'node:path';
import type { FileJob } from '../model.js';

const JSON_SPEC = /['"`]([^'"`\n\\]{1,200}\.json)['"`]/g;
/** `join(__dirname, 'data', 'keys.json')`: the constant segments after the directory. */
const DIRNAME_JOIN = /__dirname\s*,((?:\s*['"][^'"\n\\]{1,100}['"]\s*,){0,4}\s*['"][^'"\n\\]{1,100}\.json['"])/g;
/** A data file larger than this is not read: its values stay unknown. */
export const MAX_DATA_BYTES = 64 * 1024;
const MAX_DATA_FILES = 8;

/** Package-relative path → text of the JSON files the code names. */
export function readDataFiles(job: FileJob, code: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!code.includes('.json')) return out;
  const root = job.absPath.slice(0, job.absPath.length - job.file.length);
  const dir = path.posix.dirname(job.file);
  const specs: string[] = [];
  let m: RegExpExecArray | null;
  DIRNAME_JOIN.lastIndex = 0;
  while ((m = DIRNAME_JOIN.exec(code)) && specs.length < MAX_DATA_FILES * 2) {
    specs.push(m[1].split(',').map((s) => s.trim().slice(1, -1)).join('/'));
  }
  JSON_SPEC.lastIndex = 0;
  while ((m = JSON_SPEC.exec(code)) && specs.length < MAX_DATA_FILES * 4) specs.push(m[1]);
  let tried = 0;
  for (const spec of specs) {
    if (tried >= MAX_DATA_FILES * 2) break;
    const rel = dataPath(dir, spec);
    if (rel === null || out.has(rel)) continue;
    tried++;
    const text = readSmall(root + rel);
    if (text !== null) out.set(rel, text);
    if (out.size >= MAX_DATA_FILES) break;
  }
  return out;
}

/** A regular file of at most MAX_DATA_BYTES, as text; null otherwise (never throws). */
function readSmall(abs: string): string | null {
  try {
    const st = fs.lstatSync(abs);
    if (!st.isFile() || st.size > MAX_DATA_BYTES) return null;
    const text = fs.readFileSync(abs, 'utf8');
    return text.length <= MAX_DATA_BYTES ? text : null;
  } catch {
    return null;
  }
}

/** The package-relative path a spec names from a file in `dir`, or null outside the package. */
export function dataPath(dir: string, spec: string): string | null {
  if (spec.startsWith('/') || /^[a-z]+:/i.test(spec)) return null;
  const rel = path.posix.normalize(path.posix.join(dir, spec));
  if (rel.startsWith('..') || rel.split('/').includes('node_modules')) return null;
  return rel;
}
