// Who did it: the innermost stack frame that is neither the recorder nor Node itself, and the
// package that owns it (the last `node_modules/<name>` segment of its path; none = the project).
import fs = require('node:fs');
import path = require('node:path');
import { fileURLToPath } from 'node:url';

interface Owner {
  package: string | null;
  location: string;
  version?: string;
}

export interface Caller {
  owner: Owner;
  /** file:line:column, the file relative to the owner's folder */
  site: string;
  /** the Node module in between when Node's own code made the access for the caller (`child_process`) */
  via?: string;
}

const SELF_DIR = __dirname;
const { readFileSync } = fs; // before the recorder wraps fs
// most accesses have the user frame right below the recorder's: a short capture first, a long
// one only when Node's or V8's frames fill it (child_process internals enumerating for a child)
const SHORT_FRAMES = 8;
const LONG_FRAMES = 32;
const owners = new Map<string, Owner>();

/** What a frame's file is, decided once per file name (stack capture is the hot path). */
type FileKind =
  | { k: 'skip' } // the recorder itself
  | { k: 'internal'; via: string } // Node's own code
  | { k: 'eval' } // vm/eval code under a made-up name
  | { k: 'user'; owner: Owner; prefix: string | null; base: string };
const kinds = new Map<string, FileKind>();

function callSites(limit: number): NodeJS.CallSite[] {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept only to be put back as it was
  const prevPrepare = Error.prepareStackTrace;
  const prevLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = (_e, cs) => cs;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, callSites);
    return Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
  } finally {
    Error.prepareStackTrace = prevPrepare;
    Error.stackTraceLimit = prevLimit;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function readVersion(dir: string): string | undefined {
  try {
    const pkg: unknown = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const v = pkg && typeof pkg === 'object' ? (pkg as { version?: unknown }).version : undefined;
    return typeof v === 'string' && v.length < 64 ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The folder of the package that owns `file`, or null for a file outside every node_modules. */
function packageDir(file: string): { dir: string; name: string } | null {
  const parts = file.split(path.sep);
  const i = parts.lastIndexOf('node_modules');
  if (i < 0 || i + 1 >= parts.length - 1) return null;
  const scoped = parts[i + 1].startsWith('@') && i + 2 < parts.length - 1;
  const nameParts = scoped ? parts.slice(i + 1, i + 3) : [parts[i + 1]];
  return { dir: parts.slice(0, i + 1 + nameParts.length).join(path.sep), name: nameParts.join('/') };
}

function ownerOf(file: string, root: string): { owner: Owner; base: string } {
  const pd = packageDir(file);
  const base = pd ? pd.dir : root;
  let owner = owners.get(base);
  if (!owner) {
    const rel = path.relative(root, base);
    const location = rel.startsWith('..') || path.isAbsolute(rel) ? toPosix(base) : toPosix(rel);
    owner = pd ? { package: pd.name, location, version: readVersion(pd.dir) } : { package: null, location: '' };
    owners.set(base, owner);
  }
  return { owner, base };
}

function viaOf(internalFile: string): string {
  const m = /^node:(?:internal\/)?([\w/]+?)(?:\/.*)?$/.exec(internalFile);
  return m ? m[1] : 'node';
}

function classify(name: string, root: string): FileKind {
  if (name.startsWith('node:')) return { k: 'internal', via: viaOf(name) };
  let file = name;
  if (name.startsWith('file://')) {
    try {
      file = fileURLToPath(name);
    } catch {
      return { k: 'eval' };
    }
  }
  // code run through vm or eval under a made-up name (`[eval]`, `evalmachine.<anonymous>`)
  if (!path.isAbsolute(file)) return { k: 'eval' };
  if (path.dirname(file) === SELF_DIR) return { k: 'skip' };
  const { owner, base } = ownerOf(file, root);
  const rel = toPosix(path.relative(base, file));
  return { k: 'user', owner, base, prefix: rel.startsWith('..') ? toPosix(file) : rel };
}

function kindOf(name: string, root: string): FileKind {
  let k = kinds.get(name);
  if (!k) {
    k = classify(name, root);
    kinds.set(name, k);
  }
  return k;
}

const position = (cs: NodeJS.CallSite): string => `${cs.getLineNumber() ?? 0}:${cs.getColumnNumber() ?? 0}`;

type Found = (Caller & { internal: boolean }) | null;

function scan(frames: NodeJS.CallSite[], root: string): Found | 'more' {
  let via: string | undefined;
  let evalSite: string | undefined;
  for (const cs of frames) {
    const name = cs.getFileName();
    if (!name) continue; // V8 builtins such as JSON.stringify or Reflect.get
    const k = kindOf(name, root);
    if (k.k === 'skip') continue;
    if (k.k === 'eval') {
      // belongs to the code that ran it, or to the project for `node -e` and `new Worker(code, { eval: true })`
      evalSite ??= `${name}:${position(cs)}`;
    } else if (k.k === 'internal') {
      // only Node frames above the first user frame mean Node acted for the caller
      if (evalSite === undefined) via ??= k.via;
    } else {
      return { owner: k.owner, site: `${k.prefix}:${position(cs)}`, via, internal: via !== undefined };
    }
  }
  if (evalSite !== undefined) return { owner: ownerOf(root, root).owner, site: evalSite, via, internal: via !== undefined };
  return 'more';
}

/**
 * The caller of the recorder's caller. `internal` says whether Node's own code sat between the
 * caller and the recorder (then `via` names the module). Null when no frame belongs to user code
 * (Node acting on its own, e.g. in an internal callback).
 */
export function findCaller(root: string): Found {
  const short = callSites(SHORT_FRAMES);
  const first = scan(short, root);
  if (first !== 'more') return first;
  if (short.length < SHORT_FRAMES) return null; // the whole stack was seen
  const again = scan(callSites(LONG_FRAMES), root);
  return again === 'more' ? null : again;
}
