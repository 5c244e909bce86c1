// Events are counted in memory and appended to the trace file as JSON lines: on a timer that does
// not keep the process alive, and when the process or thread exits. Each write(2) holds whole lines
// and the file is opened for appending, so processes and threads writing at once never mix lines.
import fs = require('node:fs');
import { threadId } from 'node:worker_threads';
import type { Caller } from './stack.cjs';
import type { EventLine, ProcessLine, TraceKind } from './record.cjs';

const FLUSH_MS = 1000;
const CHUNK_BYTES = 3500; // below PIPE_BUF, so even a FIFO as output keeps lines whole

// taken before the recorder wraps fs, so the recorder's own writes are never seen as the program's
const { openSync, writeSync, closeSync } = fs;

interface Pending {
  line: EventLine;
}

export interface Detail {
  target?: string;
  via?: string;
  op?: string;
}

export class Sink {
  private readonly table = new Map<string, Pending>();
  private readonly dirty = new Set<Pending>();
  private header: ProcessLine | null;

  constructor(private readonly file: string) {
    this.header = { v: 1, kind: 'process', pid: process.pid, ppid: process.ppid, thread: threadId, node: process.version };
  }

  add(kind: TraceKind, name: string, caller: Caller, detail: Detail = {}): void {
    const o = caller.owner;
    const key = `${kind}\u0000${o.location}\u0000${name}\u0000${detail.target ?? ''}\u0000${detail.via ?? ''}\u0000${detail.op ?? ''}`;
    let p = this.table.get(key);
    if (!p) {
      const line: EventLine = {
        v: 1, kind, pid: process.pid, thread: threadId, package: o.package, location: o.location,
        ...(o.version !== undefined ? { version: o.version } : {}),
        name, ...detail, count: 0, site: caller.site,
      };
      p = { line };
      this.table.set(key, p);
    }
    p.line.count++;
    this.dirty.add(p);
  }

  /** Append what changed since the last flush. Never throws: tracing must not break the program. */
  flush(): void {
    if (this.dirty.size === 0 && !this.header) return;
    const lines: string[] = [];
    if (this.header) lines.push(JSON.stringify(this.header));
    this.header = null;
    for (const p of this.dirty) {
      lines.push(JSON.stringify(p.line));
      p.line.count = 0;
    }
    this.dirty.clear();
    let fd = -1;
    try {
      fd = openSync(this.file, 'a');
      let chunk = '';
      for (const l of lines) {
        if (chunk.length + l.length + 1 > CHUNK_BYTES && chunk) {
          writeSync(fd, chunk);
          chunk = '';
        }
        chunk += l + '\n';
      }
      if (chunk) writeSync(fd, chunk);
    } catch {
      // an unwritable trace file loses the record, never the program's run
    } finally {
      if (fd >= 0) closeSync(fd);
    }
  }

  start(): void {
    setInterval(() => this.flush(), FLUSH_MS).unref();
    process.on('exit', () => this.flush());
  }
}
