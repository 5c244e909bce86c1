// What a well-formed FileResult is, as a list of problems ([] when fine). The worker pool ships
// these by structured clone and the cache stores them as JSON, and every reporter trusts their
// shape, so the fuzz test holds the analyser to it on every input.
import { RULE_IDS, type FileJob, type FileResult } from '../../src/model.js';
import { hasUnsafeChars } from '../../src/report/escape.js';

const RULES = new Set<string>(RULE_IDS);
/** A snippet is ~160 characters of one line; escaping can grow each character to 6. */
const SNIPPET_MAX = 160 * 6 + 16;

function lineCount(code: string): number {
  let n = 1;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 10 || c === 0x2028 || c === 0x2029) n++;
    else if (c === 13) {
      if (code.charCodeAt(i + 1) === 10) i++;
      n++;
    }
  }
  return n;
}

export function fileResultProblems(r: FileResult, job: FileJob, code: string): string[] {
  const out: string[] = [];
  const bad = (what: string) => out.push(what);
  if (!r || typeof r !== 'object') return ['result is not an object'];
  if (r.file !== job.file) bad(`file is ${JSON.stringify(r.file)}, not the job's`);
  if (typeof r.parseError !== 'boolean') bad('parseError is not a boolean');
  if (typeof r.bytes !== 'number' || !Number.isFinite(r.bytes) || r.bytes < 0) bad(`bytes is ${r.bytes}`);
  if (!Array.isArray(r.imports) || r.imports.some((s) => typeof s !== 'string')) bad('imports is not a list of strings');
  if (!Array.isArray(r.findings)) return [...out, 'findings is not a list'];
  const lines = lineCount(code);
  r.findings.forEach((f, i) => {
    const at = `findings[${i}] (${f?.rule})`;
    if (!RULES.has(f.rule)) bad(`${at}: unknown rule`);
    // code decoded from a constant of this file is analysed as `<file>#embedded@<line>` (its lines are the decoded code's)
    const embedded = typeof f.file === 'string' && f.file.startsWith(`${job.file}#embedded@`);
    if (f.file !== job.file && !embedded) bad(`${at}: file ${JSON.stringify(f.file)}`);
    if (!Number.isInteger(f.line) || f.line < 1 || (!embedded && f.line > lines)) bad(`${at}: line ${f.line} of ${lines}`);
    if (!Number.isInteger(f.column) || f.column < 0) bad(`${at}: column ${f.column}`);
    if (typeof f.detail !== 'string') bad(`${at}: detail is not a string`);
    if (typeof f.snippet !== 'string') bad(`${at}: snippet is not a string`);
    else {
      if (hasUnsafeChars(f.snippet)) bad(`${at}: snippet holds a raw control, bidi or separator character`);
      if (f.snippet.length > SNIPPET_MAX) bad(`${at}: snippet is ${f.snippet.length} characters`);
    }
    if (f.message !== undefined && typeof f.message !== 'string') bad(`${at}: message is not a string`);
    if (f.flow) {
      for (const end of [f.flow.source, f.flow.sink]) {
        if (typeof end?.detail !== 'string' || !Number.isInteger(end.line) || end.line < 1 || !Number.isInteger(end.column) || end.column < 0) {
          bad(`${at}: malformed flow end ${JSON.stringify(end)}`);
        }
      }
    }
  });
  if (r.parseError && !r.findings.some((f) => f.rule === 'parse-error')) bad('parseError without a parse-error finding');
  if (r.envReaders !== undefined) {
    if (!Array.isArray(r.envReaders)) bad('envReaders is not a list');
    else for (const e of r.envReaders) if (typeof e.exportName !== 'string' || !Array.isArray(e.parts)) bad(`malformed envReader ${JSON.stringify(e)}`);
  }
  if (r.importedCalls !== undefined) {
    if (!Array.isArray(r.importedCalls)) bad('importedCalls is not a list');
    else {
      for (const c of r.importedCalls) {
        if (typeof c.specifier !== 'string' || typeof c.exportName !== 'string' || !Array.isArray(c.args)) bad(`malformed importedCall ${c.specifier}`);
        if (typeof c.snippet !== 'string' || hasUnsafeChars(c.snippet)) bad(`importedCall snippet not escaped: ${JSON.stringify(c.snippet)}`);
      }
    }
  }
  try {
    // the cache stores results as JSON and the pool posts them by structured clone
    JSON.stringify(r);
    structuredClone(r);
  } catch (err) {
    bad(`not plain data: ${(err as Error).message}`);
  }
  return out;
}
