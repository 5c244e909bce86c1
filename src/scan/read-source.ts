// Reading one scanned file as text and turning it into a FileResult. This is the only place the
// scan stage touches a package's source: it is read as bytes and handed to the parser, never
// required or imported. Everything here returns a result instead of throwing, so one hostile or
// broken file can never stop a scan.
import fs from 'node:fs';
import { analyzeSource } from '../analyze/index.js';
import type { FileJob, FileResult, Unanalysed } from '../model.js';
import { message } from '../rules/index.js';
import { readDataFiles } from './data-files.js';

/** How much of the head of a file the binary sniff looks at. */
const SNIFF_BYTES = 8 * 1024;
/** Above this share of control bytes in the head, a file is "mostly non-text". */
const MAX_CONTROL_RATIO = 0.1;
const MIB = 1024 * 1024;

// O_NONBLOCK so that opening a FIFO planted where a .js file should be cannot block the thread;
// the fstat check below then rejects it. Windows has no such flag.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** "31.2 MB" / "20 MB": one decimal, binary megabytes, as the skip messages show them. */
export function formatMb(bytes: number): string {
  const mb = (bytes / MIB).toFixed(1);
  return `${mb.endsWith('.0') ? mb.slice(0, -2) : mb} MB`;
}

/**
 * Read a file as UTF-8 text. Skips (with a reason) files over maxBytes, files that are not regular
 * files, unreadable files, and binary files (a NUL byte or mostly control bytes in the first 8 KB).
 * Invalid UTF-8 becomes U+FFFD: still parseable, and offsets stay meaningful.
 */
export function readSource(absPath: string, maxBytes: number): { code: string } | { skipped: string; why?: Unanalysed } {
  let fd: number;
  try {
    fd = fs.openSync(absPath, OPEN_FLAGS);
  } catch (err) {
    return { skipped: `unreadable: ${errorCode(err)}`, why: 'unreadable' };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { skipped: 'not a regular file' };
    if (st.size > maxBytes) return { skipped: `file is ${formatMb(st.size)}, over the ${formatMb(maxBytes)} limit`, why: 'size' };
    // Read by fd up to maxBytes + 1: the file may grow between fstat and read.
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let len = 0;
    while (len < buf.length) {
      const n = fs.readSync(fd, buf, len, buf.length - len, len);
      if (n === 0) break;
      len += n;
    }
    if (len > maxBytes) return { skipped: `file is over the ${formatMb(maxBytes)} limit`, why: 'size' };
    const bytes = buf.subarray(0, len);
    if (looksBinary(bytes)) return { skipped: 'binary file' };
    return { code: bytes.toString('utf8') };
  } catch (err) {
    return { skipped: `unreadable: ${errorCode(err)}`, why: 'unreadable' };
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // nothing useful to do: the read itself already succeeded or was reported
    }
  }
}

/** NUL in the head, or more than 10% control bytes other than the usual whitespace and ESC. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, SNIFF_BYTES);
  if (end === 0) return false;
  let control = 0;
  for (let i = 0; i < end; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    // \t \n \v \f \r and ESC (ANSI colour codes in CLI tools) are ordinary in source text.
    if ((b < 0x20 && !(b >= 0x09 && b <= 0x0d) && b !== 0x1b) || b === 0x7f) control++;
  }
  return control / end > MAX_CONTROL_RATIO;
}

/** The FileResult for a file that was not analysed: one parse-error finding saying why. */
export function skippedResult(job: FileJob, why: 'skipped' | 'failed' | 'crashed', reason: string, unanalysed?: Unanalysed): FileResult {
  const { detail, ...structured } = message('parse-error', why, { reason, ...(unanalysed ? { unanalysed } : {}) });
  return {
    ...(unanalysed ? { unanalysed } : {}),
    file: job.file,
    findings: [
      {
        ...structured,
        file: job.file,
        line: 1,
        column: 0,
        detail,
        snippet: '',
        message: `env-audit could not analyse this file (${detail}); what it does is unknown.`,
      },
    ],
    imports: [],
    parseError: true,
    bytes: job.size,
  };
}

/**
 * Read and analyse one file. Never throws: a skip becomes `skipped: <reason>`, an exception from
 * the analyser (a parser bug, a RangeError from a deeply nested file) `analysis failed: <msg>`.
 */
export function analyzeFile(
  job: FileJob,
  opts: { maxBytes: number; /** tests only: stands in for analyzeSource. */ analyze?: typeof analyzeSource },
): FileResult {
  const src = readSource(job.absPath, opts.maxBytes);
  if ('skipped' in src) return skippedResult(job, 'skipped', src.skipped, src.why);
  try {
    const data = readDataFiles(job, src.code);
    return (opts.analyze ?? analyzeSource)(src.code, job, { ...(job.fullParse ? { prefilter: false } : {}), ...(data.size ? { data } : {}) });
  } catch (err) {
    return skippedResult(job, 'failed', shortMessage(err), 'crash');
  }
}

/** First line of an error's message, capped: enough to recognise it, too short to carry source. */
export function shortMessage(err: unknown): string {
  let msg: string;
  try {
    msg = err instanceof Error ? `${err.name === 'Error' ? '' : err.name + ': '}${err.message}` : String(err);
  } catch {
    msg = 'unknown error'; // a thrown object whose toString throws
  }
  msg = (msg.split('\n', 1)[0] ?? '').trim();
  return (msg.length > 160 ? msg.slice(0, 157) + '...' : msg) || 'unknown error';
}

function errorCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : shortMessage(err);
}
