// A bound on the file descriptors the scan's async file reads hold at once.
//
// Arborist (loadActual), @npmcli/package-json and pacote read package.json files and folder
// listings through fs/promises with unbounded concurrency: 1,500 packages under `ulimit -n 256`
// gave 1,265 "could not read package.json (EMFILE)" and, worse, node_modules listings that failed
// silently. They take their functions from fs/promises when they are first loaded, so the limit is
// installed on that module before any of them is: this file must be imported before them (it is
// the first import of every module that loads arborist or pacote).
//
// The operations that hold a descriptor while they run (readFile, writeFile, readdir, a
// FileHandle between open and close) wait for one of MAX_OPEN slots. Everything else passes
// through untouched; the synchronous reads of the rest of the scan hold one descriptor at a time.
import fsp from 'node:fs/promises';

/** Well under the smallest common soft limit (256 on macOS), leaving room for workers and stdio. */
const MAX_OPEN = 64;

let active = 0;
const waiting: (() => void)[] = [];

function acquire(): Promise<void> {
  if (active < MAX_OPEN) {
    active++;
    return Promise.resolve();
  }
  return new Promise((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next(); // the slot passes straight to the next waiter
  else active--;
}

type AsyncFn = (...args: never[]) => Promise<unknown>;

function limited<F extends AsyncFn>(fn: F): F {
  const wrapped = async (...args: Parameters<F>): Promise<unknown> => {
    await acquire();
    try {
      return await fn(...args);
    } finally {
      release();
    }
  };
  return wrapped as unknown as F;
}

/** open() keeps its slot until the handle is closed (or collected without a close: never freed). */
function limitedOpen(open: typeof fsp.open): typeof fsp.open {
  return async (...args: Parameters<typeof fsp.open>) => {
    await acquire();
    let handle: fsp.FileHandle;
    try {
      handle = await open(...args);
    } catch (err) {
      release();
      throw err;
    }
    const close = handle.close.bind(handle);
    let closed = false;
    handle.close = async () => {
      try {
        await close();
      } finally {
        if (!closed) {
          closed = true;
          release();
        }
      }
    };
    return handle;
  };
}

const MARK = Symbol.for('env-audit.fd-limit');
const target = fsp as unknown as Record<string | symbol, unknown>;
if (!target[MARK]) {
  target[MARK] = true;
  fsp.readFile = limited(fsp.readFile);
  fsp.writeFile = limited(fsp.writeFile);
  fsp.readdir = limited(fsp.readdir);
  fsp.open = limitedOpen(fsp.open);
}

