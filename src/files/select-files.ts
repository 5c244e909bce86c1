// Which files of a package to analyse: its .js/.cjs/.mjs files (plus extensionless files that its
// bin or install scripts run with node), never another package's, never outside the folder.
// Sync fs on purpose: one readdir per folder, one stat per JS file, no per-entry realpath, which
// is the fast path on big trees; this runs on the main thread before the worker pool starts.
import fs from 'node:fs';
import path from 'node:path';
import type { FileJob, PackageUnit, SourceType } from '../model.js';
import { binTargets, INSTALL_EVENTS, scriptTargets } from './entry-points.js';
import { JS_FILE, normalizeRel } from './paths.js';
import { specialFileKind } from './special-file.js';

export interface SelectFilesOptions {
  /** keep at most this many files (the first ones by path) and warn about the rest. */
  maxFiles?: number;
  /** absolute real paths of folders inside this package that belong to other units (workspaces
   *  inside the root, link targets inside a package); see nestedPackageDirs(). */
  skipDirs?: readonly string[];
}

export interface SelectedFiles {
  /** sorted by file. */
  jobs: FileJob[];
  /** each names the package and the file or folder. */
  warnings: string[];
  /** files and folders that could not be read ("lib (EACCES)"): the package is not fully analysed. */
  unreadable: string[];
}

interface DirItem {
  abs: string;
  rel: string;
  type: SourceType;
}

export function selectFiles(unit: PackageUnit, opts: SelectFilesOptions = {}): SelectedFiles {
  const root = unit.path;
  const label = unit.location ? `${unit.name} (${unit.location})` : unit.name;
  const warnings: string[] = [];
  const warn = (what: string): void => void warnings.push(`${label}: ${what}`);
  const unreadable: string[] = [];
  const lose = (rel: string, code: string | undefined, what: string): void => {
    unreadable.push(`${rel} (${code ?? 'unreadable'})`);
    warn(what);
  };
  const pkgType: SourceType = unit.pkg?.type === 'module' ? 'module' : 'commonjs';
  const skip = new Set(opts.skipDirs ?? []);

  const jobs = new Map<string, FileJob>();
  /** real paths of the regular JS files collected, to drop symlinks that point at one of them. */
  const realFiles = new Set<string>();
  const dirTypes = new Map<string, SourceType>([['', pkgType]]);
  const visited = new Set<string>([root]);
  const links: { abs: string; rel: string; type: SourceType }[] = [];

  const addFile = (abs: string, rel: string, st: fs.Stats, type: SourceType): void => {
    if (maybeUnreadable(st, abs)) {
      lose(rel, 'EACCES', `cannot read ${rel} (permission denied); skipped`);
      return;
    }
    jobs.set(rel, { absPath: abs, file: rel, sourceType: sourceTypeOf(rel, type), packageName: unit.name, size: st.size });
  };

  const walk = (start: DirItem): void => {
    const stack: DirItem[] = [start];
    for (let item = stack.pop(); item; item = stack.pop()) {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(item.abs, { withFileTypes: true });
      } catch (err) {
        lose(item.rel || '.', codeOf(err), `cannot read folder ${item.rel || '.'} (${codeOf(err)}); skipped`);
        continue;
      }
      // the nearest package.json decides how .js parses, with or without a "type" field
      let type = item.type;
      if (item.rel !== '' && entries.some((e) => e.name === 'package.json' && !e.isDirectory())) {
        type = nestedType(path.join(item.abs, 'package.json'), `${item.rel}/package.json`, item.type, warn);
      }
      dirTypes.set(item.rel, type);

      for (const e of entries) {
        const abs = path.join(item.abs, e.name);
        const rel = item.rel ? `${item.rel}/${e.name}` : e.name;
        let kind = direntKind(e);
        let st: fs.Stats | undefined;
        if (kind === 'unknown') {
          // some filesystems do not report entry types
          try {
            st = fs.lstatSync(abs);
            kind = statKind(st);
          } catch (err) {
            lose(rel, codeOf(err), `cannot stat ${rel} (${codeOf(err)}); skipped`);
            continue;
          }
        }
        if (kind === 'dir') {
          if (e.name === 'node_modules') {
            // <pkg>/node_modules holds other packages (their own units); a deeper one is not
            // installed by npm and nobody scans it, so say so
            if (item.rel !== '') warn(`${rel} is a nested node_modules folder; not scanned`);
            continue;
          }
          // .git never ships in a tarball; it only shows up when the root project is scanned
          if (e.name === '.git' || skip.has(abs) || visited.has(abs)) continue;
          visited.add(abs);
          stack.push({ abs, rel, type });
        } else if (kind === 'file') {
          if (!JS_FILE.test(e.name)) continue;
          try {
            st ??= fs.statSync(abs);
          } catch (err) {
            lose(rel, codeOf(err), `cannot stat ${rel} (${codeOf(err)}); skipped`);
            continue;
          }
          realFiles.add(abs);
          addFile(abs, rel, st, type);
        } else if (kind === 'link') {
          links.push({ abs, rel, type });
        } else if (JS_FILE.test(e.name)) {
          // reading a FIFO or a device would hang or never end
          warn(`${rel} is not a regular file (${kind}); skipped`);
        }
      }
    }
  };

  walk({ abs: root, rel: '', type: pkgType });

  // Symlinks last, so a file reachable under its own name keeps that name.
  for (let i = 0; i < links.length; i++) {
    const link = links[i];
    let real: string;
    try {
      real = fs.realpathSync(link.abs);
    } catch (err) {
      const code = codeOf(err);
      warn(code === 'ELOOP' ? `${link.rel} is a symlink loop; skipped` : `${link.rel} is a dangling symlink; skipped`);
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(real);
    } catch (err) {
      warn(`cannot stat ${link.rel} (${codeOf(err)}); skipped`);
      continue;
    }
    // links to non-JS files (README -> ../../README.md in a monorepo) are not our business
    if (st.isFile() && !JS_FILE.test(link.rel) && !JS_FILE.test(real)) continue;
    if (!isInside(real, root)) {
      warn(`${link.rel} links outside the package (${real}); not followed`);
      continue;
    }
    const realRel = path.relative(root, real).split(path.sep);
    const ownedElsewhere = realRel.includes('node_modules') || [...skip].some((d) => isInside(real, d));
    if (st.isDirectory()) {
      // a folder inside the package was walked under its own name already (visited), and a
      // folder of another package is that package's business
      if (visited.has(real) || ownedElsewhere || path.basename(link.abs) === 'node_modules') continue;
      visited.add(real);
      walk({ abs: link.abs, rel: link.rel, type: link.type });
      continue;
    }
    if (!st.isFile()) {
      if (JS_FILE.test(link.rel)) warn(`${link.rel} links to something that is not a regular file; skipped`);
      continue;
    }
    // a JS-named link to a file not scanned under its own name (e.g. index.js -> payload.dat):
    // Node would run it as JS, so it is scanned under the link's name
    if (realFiles.has(real) || (ownedElsewhere && JS_FILE.test(real))) continue;
    realFiles.add(real);
    addFile(real, link.rel, st, link.type);
  }

  addExecutedFiles(unit, jobs, dirTypes, realFiles, addFile);

  let list = [...jobs.values()].sort((a, b) => compare(a.file, b.file));
  if (opts.maxFiles !== undefined && opts.maxFiles >= 0 && list.length > opts.maxFiles) {
    warn(`${list.length} JS files; only the first ${opts.maxFiles} are scanned`);
    list = list.slice(0, opts.maxFiles);
  }
  return { jobs: list, warnings, unreadable };
}

/**
 * bin targets and `node x` install-script targets run as JavaScript whatever their name
 * (`bin/cli`, `scripts/setup`), so include them when the walk left them out for their extension.
 * A bin without a `#!...node` line may be a shell script; leave it.
 */
function addExecutedFiles(
  unit: PackageUnit,
  jobs: Map<string, FileJob>,
  dirTypes: Map<string, SourceType>,
  realFiles: Set<string>,
  addFile: (abs: string, rel: string, st: fs.Stats, type: SourceType) => void,
): void {
  const pkg = unit.pkg ?? {};
  const scripts: Record<string, string> = {};
  if (pkg.scripts && typeof pkg.scripts === 'object') {
    for (const [k, v] of Object.entries(pkg.scripts)) if (typeof v === 'string') scripts[k] = v;
  }
  const candidates = new Map<string, boolean>(); // rel -> needs a node #! line
  for (const b of binTargets(pkg.bin)) {
    const rel = normalizeRel(b);
    if (rel) candidates.set(rel, true);
  }
  for (const event of INSTALL_EVENTS) {
    const cmd = scripts[event];
    if (cmd !== undefined) for (const rel of scriptTargets(cmd, scripts)) if (rel) candidates.set(rel, false);
  }
  for (const [rel, needsShebang] of candidates) {
    if (jobs.has(rel) || JS_FILE.test(rel) || rel.split('/').includes('node_modules')) continue;
    const abs = path.join(unit.path, ...rel.split('/'));
    let real: string;
    let st: fs.Stats;
    try {
      real = fs.realpathSync(abs);
      st = fs.statSync(real);
    } catch {
      continue; // `node setup` usually means setup.js, found by the walk
    }
    if (!st.isFile() || !isInside(real, unit.path) || realFiles.has(real)) continue;
    if (needsShebang && !hasNodeShebang(real)) continue;
    realFiles.add(real);
    addFile(real, rel, st, dirTypes.get(path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel)) ?? 'commonjs');
  }
}

function hasNodeShebang(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(128);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const first = buf.subarray(0, n).toString('utf8').split('\n')[0] ?? '';
    return /^#!.*\bnode\b/.test(first);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * For each unit, the real paths of other units' folders that lie inside it (workspaces under the
 * root, link targets inside a package), to pass as skipDirs so no file is scanned twice.
 */
export function nestedPackageDirs(units: readonly PackageUnit[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const all = new Set(units.map((u) => u.path));
  // walk up from each folder instead of comparing every pair: O(units × depth)
  for (const inner of [...all].sort()) {
    for (let d = path.dirname(inner); d !== path.dirname(d); d = path.dirname(d)) {
      if (!all.has(d)) continue;
      const list = out.get(d) ?? [];
      list.push(inner);
      out.set(d, list);
    }
  }
  return out;
}

function nestedType(file: string, rel: string, fallback: SourceType, warn: (w: string) => void): SourceType {
  const special = specialFileKind(file);
  if (special) {
    // reading a FIFO would block forever, /dev/zero would never end
    warn(`${rel} is ${special}, not a file; using the package's type`);
    return fallback;
  }
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      warn(`${rel} is not a JSON object; using the package's type`);
      return fallback;
    }
    return (data as { type?: unknown }).type === 'module' ? 'module' : 'commonjs';
  } catch (err) {
    warn(`${rel} cannot be read as JSON (${err instanceof SyntaxError ? 'invalid JSON' : codeOf(err)}); using the package's type`);
    return fallback;
  }
}

function sourceTypeOf(rel: string, dirType: SourceType): SourceType {
  if (rel.endsWith('.mjs')) return 'module';
  if (rel.endsWith('.cjs')) return 'commonjs';
  return dirType;
}

type Kind = 'dir' | 'file' | 'link' | 'fifo' | 'socket' | 'device' | 'unknown';

function direntKind(e: fs.Dirent): Kind {
  if (e.isDirectory()) return 'dir';
  if (e.isFile()) return 'file';
  if (e.isSymbolicLink()) return 'link';
  if (e.isFIFO()) return 'fifo';
  if (e.isSocket()) return 'socket';
  if (e.isCharacterDevice() || e.isBlockDevice()) return 'device';
  return 'unknown';
}

function statKind(st: fs.Stats): Kind {
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  if (st.isSymbolicLink()) return 'link';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'device';
}

let groups: number[] | undefined;

/**
 * The mode bits say whether we may read the file; only when they say no do we ask the kernel
 * (access(2) also knows ACLs), so the common case costs no extra syscall. Root reads anything.
 */
function maybeUnreadable(st: fs.Stats, abs: string): boolean {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0) return false;
  groups ??= process.getgroups?.() ?? [];
  const bit = st.uid === uid ? 0o400 : st.gid === process.getgid?.() || groups.includes(st.gid) ? 0o040 : 0o004;
  if (st.mode & bit) return false;
  try {
    fs.accessSync(abs, fs.constants.R_OK);
    return false;
  } catch {
    return true;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function codeOf(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
