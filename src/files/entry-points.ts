// Entry points of a package: the files Node (or npm, at install time) starts from. Read from
// package.json only; nothing is executed.
import fs from 'node:fs';
import path from 'node:path';
import type { PackageJson, PackageUnit } from '../model.js';
import { normalizeRel, resolveFile } from './paths.js';
import { specialFileKind } from './special-file.js';

/** Lifecycle events npm runs when a package is installed; 'prepare' only for git/linked installs. */
export const INSTALL_EVENTS = ['preinstall', 'install', 'postinstall', 'prepare'] as const;
export type InstallEvent = (typeof INSTALL_EVENTS)[number];

export const IMPLICIT_GYP_COMMAND = 'node-gyp rebuild (implicit: binding.gyp)';

export interface InstallScript {
  event: string;
  command: string;
  /** package files this command runs with node (resolved against the file list), sorted. */
  files: string[];
}

export interface EntryPoints {
  /** every entry file, install-time ones included: the starting set for reachability. Sorted. */
  entries: string[];
  /** files run by install-time scripts (all INSTALL_EVENTS; filter installScripts to drop prepare). */
  installTime: string[];
  installScripts: InstallScript[];
}

export function entryPoints(unit: PackageUnit, files: string[]): EntryPoints {
  const pkg: PackageJson = unit.pkg ?? {};
  const fileSet = new Set(files);
  const entries = new Set<string>();
  const add = (raw: unknown, exactFirst = false): void => {
    if (typeof raw !== 'string') return;
    const rel = normalizeRel(raw);
    if (rel === null) return;
    const hit = (exactFirst && resolveFile(rel, fileSet, { exactOnly: true })) || resolveFile(rel, fileSet);
    if (hit) entries.add(hit);
  };

  // main, with Node's fallback to index.js when it is absent or points nowhere
  const mainHit = typeof pkg.main === 'string' ? resolveMain(pkg.main, fileSet) : null;
  if (mainHit) entries.add(mainHit);
  else if (fileSet.has('index.js')) entries.add('index.js');

  add(pkg.module);
  if (typeof pkg.browser === 'string') add(pkg.browser);
  else if (isObject(pkg.browser)) for (const v of Object.values(pkg.browser)) add(v);

  for (const target of exportTargets(pkg.exports)) {
    for (const hit of matchExportTarget(target, fileSet)) entries.add(hit);
  }
  for (const bin of binTargets(pkg.bin)) add(bin, true);

  const installScripts = installScriptsOf(unit, fileSet);
  const installTime = new Set<string>();
  for (const s of installScripts) for (const f of s.files) installTime.add(f);
  for (const f of installTime) entries.add(f);

  return { entries: [...entries].sort(), installTime: [...installTime].sort(), installScripts };
}

function resolveMain(main: string, files: ReadonlySet<string>): string | null {
  const rel = normalizeRel(main);
  return rel === null ? null : resolveFile(rel, files);
}

/** Every string target anywhere in an "exports" value: conditions, nesting, arrays, subpaths. */
export function exportTargets(exp: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v) && !seen.has(v)) {
      seen.add(v);
      Object.values(v).forEach(visit);
    }
  };
  visit(exp);
  return out;
}

/** Files an exports target stands for: itself, every match of a '*' pattern, or a whole folder. */
function matchExportTarget(target: string, files: ReadonlySet<string>): string[] {
  if (target.includes('*')) {
    const rel = normalizeRel(target.replace(/\*/g, '\u0001'));
    if (rel === null) return [];
    const source = rel
      .split('\u0001')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('(.+)');
    const re = new RegExp(`^${source}$`);
    return [...files].filter((f) => re.test(f));
  }
  const rel = normalizeRel(target);
  if (rel === null) return [];
  if (target.endsWith('/')) {
    // legacy folder mapping ("./lib/": "./lib/"): everything under it can be imported
    const prefix = rel === '' ? '' : `${rel}/`;
    return [...files].filter((f) => f.startsWith(prefix));
  }
  const hit = resolveFile(rel, files, { exactOnly: true }) ?? resolveFile(rel, files);
  return hit ? [hit] : [];
}

/** bin targets, string or object form (arborist normalises to an object, raw package.json may not). */
export function binTargets(bin: unknown): string[] {
  if (typeof bin === 'string') return [bin];
  if (Array.isArray(bin)) return bin.filter((b): b is string => typeof b === 'string');
  if (isObject(bin)) return Object.values(bin).filter((b): b is string => typeof b === 'string');
  return [];
}

function installScriptsOf(unit: PackageUnit, files: ReadonlySet<string>): InstallScript[] {
  const scripts = scriptsOf(unit.pkg);
  const out: InstallScript[] = [];
  const resolveAll = (targets: string[]): string[] => {
    const hits = new Set<string>();
    for (const t of targets) {
      const hit = resolveFile(t, files);
      if (hit) hits.add(hit);
    }
    return [...hits].sort();
  };

  const gyp = bindingGypCommands(unit.path);
  for (const event of INSTALL_EVENTS) {
    const command = scripts[event];
    if (command === undefined) continue;
    const targets = scriptTargets(command, scripts);
    // node-gyp expands <!(...) commands from binding.gyp: those run at install time too
    if (gyp && /\bnode-gyp\b/.test(command)) targets.push(...gyp);
    out.push({ event, command, files: resolveAll(targets) });
  }
  // npm runs `node-gyp rebuild` itself for a binding.gyp package with no install/preinstall script
  if (gyp && scripts.install === undefined && scripts.preinstall === undefined && unit.pkg?.gypfile !== false) {
    out.push({ event: 'install', command: IMPLICIT_GYP_COMMAND, files: resolveAll(gyp) });
  }
  return out;
}

function scriptsOf(pkg: PackageJson | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (pkg && isObject(pkg.scripts)) {
    for (const [k, v] of Object.entries(pkg.scripts)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/**
 * Files named in binding.gyp's command expansions (<!(node x.js), <!@(node -p ...)), or null
 * when the package has no readable binding.gyp.
 */
function bindingGypCommands(dir: string): string[] | null {
  let text: string;
  // a FIFO would block the read forever, /dev/zero would never end it
  if (specialFileKind(path.join(dir, 'binding.gyp'))) return null;
  try {
    text = fs.readFileSync(path.join(dir, 'binding.gyp'), 'utf8');
  } catch {
    return null;
  }
  const out: string[] = [];
  for (const m of text.matchAll(/<!@?\(([^)]*)\)/g)) out.push(...scriptTargets(m[1]!.replace(/\\(["'])/g, '$1')));
  return out;
}

// --- lifecycle command parsing ------------------------------------------------------------------

/** node options whose value is a module that runs before the script (a file when relative). */
const PRELOAD_OPTS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader']);
/** node options that take a separate value we must skip. */
const VALUE_OPTS = new Set([
  '-C',
  '--conditions',
  '--input-type',
  '--title',
  '--env-file',
  '--inspect-port',
  '--stack-size',
  '--max-old-space-size',
  '--experimental-policy',
  '--redirect-warnings',
  '--diagnostic-dir',
  '--cpu-prof-dir',
  '--heap-prof-dir',
  '--report-dir',
  '--openssl-config',
  '--icu-data-dir',
]);
/** node options after which the rest of the line is code or stdin, not a file. */
const EVAL_OPTS = new Set(['-e', '--eval', '-p', '--print', '-']);
/** commands that run the command after them. */
const WRAPPERS = new Set(['cross-env', 'cross-env-shell', 'env', 'exec', 'nohup', 'time', 'command', 'npx', 'sudo']);
const RUNNERS = new Set(['npm', 'yarn', 'pnpm']);

/**
 * Package-relative paths of the JS files a lifecycle command runs: `node x.js`, `node --opt x`,
 * `cross-env A=b node x.js`, `cd lib && node y.js`, `./x.js`, `x.js && node y.js`, and the
 * scripts behind `npm run name`. Paths are not yet resolved against the file list (`node setup`
 * may mean setup.js). Shell scripts, `node -e`, and other tools' binaries yield nothing.
 */
export function scriptTargets(command: string, scripts: Record<string, string> = {}, depth = 0): string[] {
  const out: string[] = [];
  let cwd = '';
  for (const words of splitCommands(command)) {
    let i = 0;
    // leading VAR=value assignments, and wrappers (with their options) that run what follows
    while (i < words.length) {
      const w = words[i]!;
      if (ASSIGNMENT.test(w)) i++;
      else if (WRAPPERS.has(baseName(w))) {
        i++;
        while (i < words.length && words[i]!.startsWith('-')) i++;
      } else break;
    }
    const cmd = words[i];
    if (cmd === undefined) continue;
    const args = words.slice(i + 1);
    const base = baseName(cmd);

    if (base === 'cd') {
      const dir = args[0];
      const next = dir === undefined ? '' : normalizeRel(dir, cwd);
      cwd = next ?? cwd;
      continue;
    }
    if (/^node(?:js)?(?:\.exe)?$/.test(base)) {
      for (const t of nodeArgTargets(args)) {
        const rel = normalizeRel(t, cwd);
        if (rel !== null) out.push(rel); // '' is `node .`: the folder's index
      }
      continue;
    }
    if (RUNNERS.has(base) && depth < 5) {
      const name = runScriptName(base, args, scripts);
      if (name) {
        for (const n of [`pre${name}`, name, `post${name}`]) {
          const s = scripts[n];
          if (s !== undefined) out.push(...scriptTargets(s, scripts, depth + 1));
        }
      }
      continue;
    }
    // a file run directly through its #! line
    if (/\.(?:js|cjs|mjs)$/.test(cmd) || cmd.startsWith('./') || cmd.startsWith('../')) {
      const rel = normalizeRel(cmd, cwd);
      if (rel) out.push(rel);
    }
  }
  return out;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function baseName(cmd: string): string {
  return cmd.replace(/\\/g, '/').split('/').pop() ?? cmd;
}

function nodeArgTargets(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      if (args[i + 1] !== undefined) out.push(args[i + 1]!);
      break;
    }
    if (EVAL_OPTS.has(a) || /^--(?:eval|print)=/.test(a) || /^-[a-zA-Z]*[ep]$/.test(a)) break;
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (PRELOAD_OPTS.has(flag)) {
      const value = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value !== undefined && /^\.\.?[\\/]/.test(value)) out.push(value);
      continue;
    }
    if (VALUE_OPTS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    out.push(a);
    break; // everything after the script is its own arguments
  }
  return out;
}

function runScriptName(runner: string, args: string[], scripts: Record<string, string>): string | null {
  const rest = args.filter((a) => !a.startsWith('-'));
  if (rest[0] === 'run' || rest[0] === 'run-script') return rest[1] ?? null;
  // `yarn build` and `pnpm build` run a script of that name when there is one
  if (runner !== 'npm' && rest[0] !== undefined && rest[0] in scripts) return rest[0];
  return null;
}

/**
 * Split a shell command line into simple commands (word lists) at && || ; | & and newlines,
 * honouring quotes and backslashes. Redirections are dropped; $(...) and backticks are kept as
 * opaque words.
 */
export function splitCommands(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length) commands.push(dropRedirections(words));
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const j = line.indexOf("'", i + 1);
      word += j < 0 ? line.slice(i + 1) : line.slice(i + 1, j);
      inWord = true;
      i = j < 0 ? line.length : j;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        word += line[j];
      }
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '&' && (word.endsWith('>') || word.endsWith('<'))) {
      word += c; // 2>&1 is a redirection, not a background operator
    } else if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      endCommand();
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

function dropRedirections(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const m = /^\d*[<>]{1,2}(&?\d*)?(.*)$/.exec(w);
    if (m) {
      if (m[2] === '' && !m[1]) i++; // `> file`: the target is the next word
      continue;
    }
    out.push(w);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
