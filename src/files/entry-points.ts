// Entry points of a package: the files Node (or npm, at install time) starts from. Read from
// package.json only; nothing is executed.
import fs from 'node:fs';
import path from 'node:path';
import type { PackageJson, PackageUnit } from '../model.js';
import { normalizeRel, resolveFile } from './paths.js';
import { specialFileKind } from './special-file.js';
import { readInstallCommand, type InstallReading } from '../analyze/package/install-reading.js';
import { readScript } from '../analyze/package/install-commands.js';

/** Lifecycle events npm runs when a package is installed; 'prepare' only for git/linked installs. */
export const INSTALL_EVENTS = ['preinstall', 'install', 'postinstall', 'prepare'] as const;

export const IMPLICIT_GYP_COMMAND = 'node-gyp rebuild (implicit: binding.gyp)';

export interface InstallScript {
  event: string;
  command: string;
  /** package files this command runs with node (resolved against the file list), sorted. */
  files: string[];
  /** what the command, the script files it runs and binding.gyp's commands do (see install-reading.ts). */
  reading: InstallReading;
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
function exportTargets(exp: unknown): string[] {
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
  const base = { dir: unit.path, scripts, files };
  const gyp = bindingGypCommands(unit.path);
  const gypReadings = (): InstallReading[] =>
    (gyp ?? []).map((g) =>
      readInstallCommand(g.command, { ...base, file: 'binding.gyp', codePath: `binding.gyp#command@${g.line}`, label: 'a binding.gyp command', line: g.line }),
    );
  for (const event of INSTALL_EVENTS) {
    const command = scripts[event];
    if (command === undefined) continue;
    const readings = [readInstallCommand(command, { ...base, file: 'package.json', codePath: `package.json#scripts.${event}`, label: `scripts.${event}`, line: 1 })];
    // node-gyp (directly or through a prebuild fallback) expands binding.gyp's <!(…) commands at install time
    if (gyp && GYP_RUNNERS.test(command)) readings.push(...gypReadings());
    out.push(installScript(event, command, readings));
  }
  // npm runs `node-gyp rebuild` itself for a binding.gyp package with no install/preinstall script
  if (gyp && scripts.install === undefined && scripts.preinstall === undefined && unit.pkg?.gypfile !== false) {
    out.push(installScript('install', IMPLICIT_GYP_COMMAND, gypReadings()));
  }
  return out;
}

const GYP_RUNNERS = /\b(?:node-gyp|node-gyp-build|prebuild-install|node-pre-gyp)\b/;

function installScript(event: string, command: string, readings: InstallReading[]): InstallScript {
  const reading: InstallReading = {
    jsFiles: [...new Set(readings.flatMap((r) => r.jsFiles))].sort(),
    facts: readings.flatMap((r) => r.facts),
    code: readings.flatMap((r) => r.code),
    scriptFiles: [...new Set(readings.flatMap((r) => r.scriptFiles))],
  };
  return { event, command, files: reading.jsFiles, reading };
}

function scriptsOf(pkg: PackageJson | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (pkg && isObject(pkg.scripts)) {
    for (const [k, v] of Object.entries(pkg.scripts)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/**
 * binding.gyp's command expansions (<!(node x.js), <!@(node -p "…")) with their lines, or null when
 * the package has no readable binding.gyp. Parentheses inside the command (require('x').include)
 * and quotes are honoured; gyp's escaped quotes are unescaped.
 */
function bindingGypCommands(dir: string): { command: string; line: number }[] | null {
  let text: string;
  // a FIFO would block the read forever, /dev/zero would never end it
  if (specialFileKind(path.join(dir, 'binding.gyp'))) return null;
  try {
    text = fs.readFileSync(path.join(dir, 'binding.gyp'), 'utf8');
  } catch {
    return null;
  }
  const out: { command: string; line: number }[] = [];
  for (let at = text.indexOf('<!'); at >= 0 && out.length < 200; at = text.indexOf('<!', at + 2)) {
    const open = text[at + 2] === '@' ? at + 3 : at + 2;
    if (text[open] !== '(') continue;
    let depth = 0;
    let k = open;
    for (; k < text.length && k - open < 4096; k++) {
      if (text[k] === '(') depth++;
      else if (text[k] === ')' && --depth === 0) break;
    }
    const command = text.slice(open + 1, k).replace(/\\(["'])/g, '$1');
    out.push({ command, line: text.slice(0, at).split('\n').length });
  }
  return out;
}

// --- lifecycle command parsing ------------------------------------------------------------------

/**
 * Package-relative paths of the JS files a lifecycle command runs: `node x.js`, `node --opt x`,
 * `cross-env A=b node x.js`, `cd lib && node y.js`, `./x.js`, `x.js && node y.js`, and the
 * scripts behind `npm run name` (read by install-commands.ts). Paths are not yet resolved against
 * the file list (`node setup` may mean setup.js). Shell scripts, `node -e` and other tools'
 * binaries yield nothing here.
 */
export function scriptTargets(command: string, scripts: Record<string, string> = {}): string[] {
  const out: string[] = [];
  for (const run of readScript(command, 'sh', { scripts }).runs) {
    // an extensionless `./tool` may be a node script (select-files checks its #! line)
    if (run.kind === 'js' || (run.kind === 'binary' && !/\.[A-Za-z0-9]+$/.test(run.path))) out.push(run.path);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
