// Who did it: the innermost stack frame that is neither the recorder nor Node itself, and the
// package that owns it (the last `node_modules/<name>` segment of its path; none = the project).
import fs = require('node:fs');
import path = require('node:path');
import { fileURLToPath } from 'node:url';

export interface Owner {
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
const MAX_FRAMES = 24;
const owners = new Map<string, Owner>();

function fileOf(cs: NodeJS.CallSite): string | null {
  const f = cs.getFileName();
  if (!f) return null;
  if (f.startsWith('file://')) {
    try {
      return fileURLToPath(f);
    } catch {
      return null;
    }
  }
  return f;
}

function isInternal(file: string): boolean {
  return file.startsWith('node:');
}

function callSites(): NodeJS.CallSite[] {
  const prevPrepare = Error.prepareStackTrace;
  const prevLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = MAX_FRAMES;
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

/**
 * The caller of the recorder's caller. `internal` says whether Node's own code sat between the
 * caller and the recorder (then `via` names the module). Null when no frame belongs to user code
 * (Node acting on its own, e.g. in an internal callback).
 */
export function findCaller(root: string): (Caller & { internal: boolean }) | null {
  let via: string | undefined;
  let evalSite: string | undefined;
  for (const cs of callSites()) {
    const file = fileOf(cs);
    if (file === null) continue; // V8 builtins such as JSON.stringify or Reflect.get
    // code run through vm or eval under a made-up name (`[eval]`, `evalmachine.<anonymous>`) belongs
    // to the code that ran it, or to the project for `node -e` and `new Worker(code, { eval: true })`
    if (!isInternal(file) && !path.isAbsolute(file)) {
      evalSite ??= `${file}:${cs.getLineNumber() ?? 0}:${cs.getColumnNumber() ?? 0}`;
      continue;
    }
    if (path.dirname(file) === SELF_DIR) continue;
    if (isInternal(file)) {
      // only Node frames above the first user frame mean Node acted for the caller
      if (evalSite === undefined) via ??= viaOf(file);
      continue;
    }
    const { owner, base } = ownerOf(file, root);
    const rel = toPosix(path.relative(base, file));
    const site = `${rel.startsWith('..') ? toPosix(file) : rel}:${cs.getLineNumber() ?? 0}:${cs.getColumnNumber() ?? 0}`;
    return { owner, site, via, internal: via !== undefined };
  }
  if (evalSite === undefined) return null;
  return { owner: ownerOf(root, root).owner, site: evalSite, via, internal: via !== undefined };
}
