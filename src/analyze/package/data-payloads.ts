// Payloads in data files (depe-tool's shape): a file of the package that code reads with fs and
// runs with eval / Function / vm / module._compile (the eval detector's `dataFile` finding, from
// flow/data-read.ts) is read here, decoded the way the code decodes it, and analysed as embedded
// code — a hidden virtual file `lib/x.js#data:payload.dat` whose findings join the package. A
// payload that cannot be read or decoded is reported as not analysed (fail closed); one outside
// the package, or a JavaScript file analysed on its own already, is left alone.
import fs from 'node:fs';
import path from 'node:path';
import type { Finding, PackageUnit } from '../../model.js';
import { message } from '../../rules/index.js';
import { analyzeEmbedded, embeddedBudget, hostFile } from '../embedded/virtual-file.js';

/** At most this many payload files per package are read. */
const MAX_PAYLOADS = 10;

export function dataPayloadFindings(unit: PackageUnit, findings: readonly Finding[], files: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const budget = embeddedBudget();
  const done = new Set<string>();
  for (const f of findings) {
    if (f.rule !== 'eval' || f.messageId !== 'dataFile' || done.size >= MAX_PAYLOADS) continue;
    const rel = path.posix.normalize(path.posix.join(path.posix.dirname(hostFile(f.file)), String(f.data?.file ?? '')));
    if (rel.startsWith('../') || rel === '..' || path.posix.isAbsolute(rel) || files.has(rel) || done.has(`${f.file}>${rel}`)) continue;
    done.add(`${f.file}>${rel}`);
    const where = `${f.file}#data:${rel}`;
    const origin = `${rel} read by ${f.file}:${f.line} and run with ${String(f.data?.executor ?? 'eval')}`;
    const text = readPayload(unit.path, rel, budget.maxPieceBytes);
    if (text.error !== undefined) {
      if (text.error !== 'missing') out.push(skipped(where, f, `${rel}: ${text.error}`));
      continue;
    }
    const decoded = decode(text.code, String(f.data?.decoding ?? 'none'));
    if (decoded === null) {
      out.push(skipped(where, f, `${rel} does not decode as the code decodes it`));
      continue;
    }
    const r = analyzeEmbedded({ path: where, code: decoded, origin, hidden: true, depth: 1 }, unit.name, budget);
    out.push(...r.findings);
    // the decode-then-execute of this payload weighs by what the payload does, as for decoded constants
    if (!r.parseError) for (const o of findings) if (o.file === f.file && o.line === f.line && o.messageId === 'decodeExecute') o.embeddedAs = where;
  }
  return out;
}

function skipped(where: string, f: Finding, reason: string): Finding {
  return { ...message('parse-error', 'embeddedSkipped', { reason }), file: where, line: 1, column: 0, snippet: '', hidden: true, ...(f.installTime ? { installTime: true } : {}) };
}

/** The file's text, when it is a regular file inside the package (symlinks out of it are not followed). */
function readPayload(root: string, rel: string, maxBytes: number): { code: string; error?: undefined } | { error: string } {
  try {
    const realRoot = fs.realpathSync(root);
    const abs = fs.realpathSync(path.join(root, rel));
    if (abs !== realRoot && !abs.startsWith(realRoot + path.sep)) return { error: 'links outside the package' };
    const st = fs.statSync(abs);
    if (!st.isFile()) return { error: 'not a regular file' };
    if (st.size > maxBytes) return { error: `${st.size} bytes (limit ${maxBytes} for one piece)` };
    return { code: fs.readFileSync(abs, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'missing' : `could not be read (${code ?? 'error'})` };
  }
}

/** Apply the decodings in order (`reverse → base64 → json:init`); null when one fails. */
function decode(text: string, decodings: string): string | null {
  let s = text;
  for (const d of decodings === 'none' ? [] : decodings.split(' → ')) {
    try {
      if (d === 'base64') s = Buffer.from(s.trim(), 'base64').toString('utf8');
      else if (d === 'hex') s = Buffer.from(s.trim(), 'hex').toString('utf8');
      else if (d === 'reverse') s = [...s].reverse().join('');
      else if (d === 'percent') s = decodeURIComponent(s);
      else if (d.startsWith('json:')) {
        const v: unknown = (JSON.parse(s) as Record<string, unknown>)[d.slice(5)];
        if (typeof v !== 'string') return null;
        s = v;
      } else return null;
    } catch {
      return null;
    }
  }
  return s;
}
