// Reading a trace file: the lines of every process summed per package and event. The file was
// written by the traced program's processes, so it is untrusted input: a line that is not a valid
// record is counted and skipped, and every string is length-bounded.
import fs from 'node:fs';
import type { EventLine } from './record.cjs';

/** One event summed over every process of the trace: a trace line without its process fields. */
export type TraceEvent = Omit<EventLine, 'v' | 'pid' | 'thread'>;

export interface Trace {
  /** traced processes and worker threads */
  processes: number;
  events: TraceEvent[];
  /** lines that were not valid records */
  invalidLines: number;
}

const KINDS = new Set<string>(['env-read', 'env-enumerate', 'env-write', 'network', 'child-process', 'credential-file']);
const MAX_STRING = 1024;

function str(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_STRING;
}
function optStr(v: unknown): boolean {
  return v === undefined || str(v);
}

function isEventLine(o: Record<string, unknown>): o is Record<string, unknown> & EventLine {
  return (
    typeof o.kind === 'string' && KINDS.has(o.kind) && str(o.name) && str(o.location) && str(o.site) &&
    (o.package === null || str(o.package)) && optStr(o.version) && optStr(o.target) && optStr(o.via) && optStr(o.op) &&
    typeof o.count === 'number' && Number.isSafeInteger(o.count) && o.count >= 0
  );
}

function keyOf(e: EventLine): string {
  return [e.kind, e.location, e.name, e.target ?? '', e.via ?? '', e.op ?? ''].join('\u0000');
}

/** Parse trace text (JSON lines). */
export function parseTrace(text: string): Trace {
  const byKey = new Map<string, TraceEvent>();
  let processes = 0;
  let invalidLines = 0;
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let o: unknown;
    try {
      o = JSON.parse(raw);
    } catch {
      invalidLines++;
      continue;
    }
    if (!o || typeof o !== 'object' || (o as { v?: unknown }).v !== 1) {
      invalidLines++;
      continue;
    }
    const rec = o as Record<string, unknown>;
    if (rec.kind === 'process') {
      processes++;
      continue;
    }
    if (!isEventLine(rec)) {
      invalidLines++;
      continue;
    }
    const k = keyOf(rec);
    const seen = byKey.get(k);
    if (seen) seen.count += rec.count;
    else {
      const { kind, package: pkg, location, version, name, target, via, op, count, site } = rec;
      byKey.set(k, { kind, package: pkg, location, version, name, target, via, op, count, site });
    }
  }
  return { processes, events: [...byKey.values()], invalidLines };
}

export function readTrace(file: string): Trace {
  return parseTrace(fs.readFileSync(file, 'utf8'));
}
