// Writing a report file. A CI step must never read half a report, and the target decides how:
// - a regular file (or none yet): write a temp file in the same folder, then rename it into place;
//   a symlink to a regular file is followed, so the link stays a link;
// - a character device, FIFO or socket (/dev/stdout, /dev/null, `>(…)`): write straight through —
//   renaming over it would replace the device node (as root) or fail (everyone else);
// - a directory: refused with a clear message.
// Any failure removes the temp file and throws an OutputError: the caller keeps its other outputs
// and exits 2.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { trackTemp, untrackTemp } from '../scan/temps.js';

/** A report could not be written; the message is one line for the user. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** /dev/stdout and friends: our own stdout or stderr, which may be a socket that cannot be reopened by path. */
const OWN_STREAM = /^\/(?:dev\/(?:std(out|err)|fd\/([12]))|proc\/self\/fd\/([12]))$/;

export function writeFileAtomic(file: string, text: string): void {
  const abs = path.resolve(file);
  const own = OWN_STREAM.exec(abs);
  if (own) {
    const toStderr = own[1] === 'err' || own[2] === '2' || own[3] === '2';
    (toStderr ? process.stderr : process.stdout).write(text);
    return;
  }
  const target = targetKind(abs);
  if (target.kind === 'directory') throw new OutputError(`cannot write ${file}: it is a directory`);
  if (target.kind === 'stream') {
    writeThrough(abs, file, text);
    return;
  }
  const dest = target.path;
  try {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
  } catch (err) {
    throw new OutputError(`cannot write ${file}: ${errText(err)}`);
  }
  const tmp = `${dest}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  trackTemp(tmp);
  try {
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    fs.renameSync(tmp, dest);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new OutputError(`cannot write ${file}: ${errText(err)}`);
  } finally {
    untrackTemp(tmp);
  }
}

type Target = { kind: 'directory' } | { kind: 'stream' } | { kind: 'file'; path: string };

/** What is at abs, following symlinks; a missing target is a file to create. */
function targetKind(abs: string): Target {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return { kind: 'file', path: abs };
  }
  if (st.isDirectory()) return { kind: 'directory' };
  if (st.isFile()) return { kind: 'file', path: realOr(abs) };
  return { kind: 'stream' };
}

function writeThrough(abs: string, file: string, text: string): void {
  let fd: number;
  try {
    fd = fs.openSync(abs, 'w');
  } catch (err) {
    throw new OutputError(`cannot write ${file}: ${errText(err)}`);
  }
  try {
    fs.writeFileSync(fd, text);
  } catch (err) {
    throw new OutputError(`cannot write ${file}: ${errText(err)}`);
  } finally {
    fs.closeSync(fd);
  }
}

function realOr(abs: string): string {
  try {
    return fs.realpathSync(abs);
  } catch {
    return abs;
  }
}

function errText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const msg = err instanceof Error ? err.message : String(err);
  return typeof code === 'string' ? `${code}${code === 'ENOSPC' ? ' (no space left on the device)' : ''}` : msg.split('\n')[0];
}
