// Everything one install-time command leads to, read statically: the command line itself, the
// shell / batch / PowerShell files it runs (and those they run), the binaries and DLLs it starts,
// the JavaScript files it runs with node, and the code it passes to `node -e`. Files are read as
// bounded text from inside the package folder only; nothing is executed.
import fs from 'node:fs';
import path from 'node:path';
import { readSource } from '../../scan/read-source.js';
import { resolveFile } from '../../files/paths.js';
import { escapeUntrusted } from '../../report/escape.js';
import { readScript, type CodeRun, type FileRun, type RunKind, type ScriptFact, type ScriptReading } from './install-commands.js';
import type { Dialect } from './shell-syntax.js';

export interface LocatedFact extends ScriptFact {
  /** package-relative file the fact is in ('package.json' for a lifecycle command line). */
  file: string;
}

interface LocatedCode extends CodeRun {
  /** virtual path of the code (`package.json#scripts.postinstall`, `install.sh#node-e@4`). */
  path: string;
  origin: string;
}

export interface InstallReading {
  /** JavaScript files of the package the command runs (resolved against the file list), sorted. */
  jsFiles: string[];
  facts: LocatedFact[];
  code: LocatedCode[];
  /** shell, batch and PowerShell files read along the way, in order. */
  scriptFiles: string[];
}

export interface CommandContext {
  /** absolute package folder. */
  dir: string;
  /** where the command is written: 'package.json' or 'binding.gyp'. */
  file: string;
  /** the virtual path for code given on this command line (`package.json#scripts.postinstall`). */
  codePath: string;
  /** for messages: "scripts.postinstall". */
  label: string;
  /** line of the command in `file` (1 when unknown). */
  line: number;
  scripts: Record<string, string>;
  files: ReadonlySet<string>;
}

const WINDOWS_LINE = /\\|%\w+%|\b(?:cmd(?:\.exe)?\s+\/[ck]|start\s+\/b)\b|\.(?:bat|cmd)\b/i;

/** Shell files nested deeper than this are not followed. */
const MAX_FILE_DEPTH = 4;
const MAX_SCRIPT_BYTES = 1024 * 1024;

/**
 * Read a lifecycle command line, or (with `start`) a file that install-time code starts
 * (`exec('bash preinstall.sh')`), and everything it leads to.
 */
export function readInstallCommand(command: string, ctx: CommandContext, start?: FileRun): InstallReading {
  const out: InstallReading = { jsFiles: [], facts: [], code: [], scriptFiles: [] };
  const js = new Set<string>();
  const visited = new Set<string>();
  const take = (reading: ScriptReading, file: string, lineBase: number, codePath: (c: CodeRun) => string, label: string, depth: number): void => {
    const line = (l: number): number => (lineBase ? lineBase + l - 1 : l);
    for (const f of reading.facts) out.facts.push({ ...f, file, line: line(f.line) });
    for (const c of reading.code) out.code.push({ ...c, line: line(c.line), path: codePath(c), origin: escapeUntrusted(`code after ${c.how} in ${label}`) });
    for (const run of reading.runs) follow(run, file, line(run.line), depth);
  };
  const follow = (run: FileRun, from: string, line: number, depth: number): void => {
    if (run.kind === 'js') {
      const hit = resolveFile(run.path, ctx.files);
      if (hit) js.add(hit);
      return;
    }
    const target = openInside(ctx.dir, run.path);
    if (!target) return;
    const dialect = run.kind === 'binary' ? scriptDialect(target) : run.kind;
    if (dialect === 'js') {
      const hit = resolveFile(run.path, ctx.files);
      if (hit) js.add(hit);
      return;
    }
    if (dialect === null) {
      const snippet = `${run.how} ${run.path}`;
      out.facts.push({ kind: 'run-binary', detail: snippet, line, snippet, file: from });
      return;
    }
    if (visited.has(target.rel) || depth >= MAX_FILE_DEPTH) return;
    visited.add(target.rel);
    const text = readSource(target.abs, MAX_SCRIPT_BYTES);
    if (!('code' in text)) return;
    out.scriptFiles.push(target.rel);
    const reading = readScript(text.code, dialect, { scripts: ctx.scripts });
    take(reading, target.rel, 0, (c) => `${target.rel}#node-e@${c.line}`, target.rel, depth + 1);
  };
  if (start) follow(start, ctx.file, ctx.line, 0);
  const sh = readScript(command, 'sh', { scripts: ctx.scripts });
  take(sh, ctx.file, ctx.line, () => ctx.codePath, ctx.label, 0);
  // npm runs scripts with cmd.exe on Windows: a line written for it (`cmd /c x\\y.bat`, `%VAR%`)
  // is read that way too (its code only when sh found none, so no piece is analysed twice)
  if (WINDOWS_LINE.test(command)) {
    const cmd = readScript(command, 'cmd', { scripts: ctx.scripts });
    take({ ...cmd, code: sh.code.length ? [] : cmd.code }, ctx.file, ctx.line, () => ctx.codePath, ctx.label, 0);
  }
  const keys = new Set<string>();
  out.facts = out.facts.filter((f) => {
    const k = `${f.kind}\0${f.detail}\0${f.file}\0${f.line}\0${f.source ?? ''}`;
    return keys.has(k) ? false : (keys.add(k), true);
  });
  // two pieces on one line get distinct paths
  const seen = new Map<string, number>();
  for (const c of out.code) {
    const n = (seen.get(c.path) ?? 0) + 1;
    seen.set(c.path, n);
    if (n > 1) c.path = `${c.path}~${n}`;
  }
  out.jsFiles = [...js].sort();
  return out;
}

const RUN_KINDS: ReadonlySet<string> = new Set<RunKind>(['js', 'sh', 'cmd', 'ps1', 'binary']);

/** A finding's `runsFile` data as a file to follow, when it is one. */
export function startedFile(data: Readonly<Record<string, string | number>> | undefined): FileRun | null {
  const file = data?.file;
  const kind = data?.kind;
  if (typeof file !== 'string' || typeof kind !== 'string' || !RUN_KINDS.has(kind)) return null;
  return { path: file, kind: kind as RunKind, line: 1, how: String(data?.how ?? 'run') };
}

/** A package file by relative path, when it is a regular file inside the package (symlinks resolved). */
function openInside(dir: string, rel: string): { abs: string; rel: string } | null {
  if (rel === '' || path.isAbsolute(rel) || rel.split('/').includes('..')) return null;
  try {
    const real = fs.realpathSync(path.join(dir, ...rel.split('/')));
    const root = fs.realpathSync(dir);
    if (!real.startsWith(root + path.sep) || !fs.statSync(real).isFile()) return null;
    return { abs: real, rel };
  } catch {
    return null;
  }
}

/** How a file without a telling extension runs: by its #! line; null for a binary (or unknown). */
function scriptDialect(target: { abs: string; rel: string }): Dialect | 'js' | null {
  if (/\.(?:dll|exe|so|dylib|node|bin|msi)$/i.test(target.rel)) return null;
  let head: string;
  try {
    const fd = fs.openSync(target.abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
      const buf = Buffer.alloc(128);
      head = buf.subarray(0, fs.readSync(fd, buf, 0, 128, 0)).toString('latin1');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(head);
  if (!m) return head.includes('\0') || head === '' ? null : 'sh';
  const interp = path.posix.basename(m[1] === '/usr/bin/env' ? (m[2] ?? '') : m[1]);
  if (/^node/.test(interp)) return 'js';
  if (/^(?:pwsh|powershell)/.test(interp)) return 'ps1';
  return 'sh';
}
