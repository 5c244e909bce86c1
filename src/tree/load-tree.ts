// Tree stage: load the installed npm tree with @npmcli/arborist and turn it into PackageUnit[].
// Nothing here executes package code: arborist only reads package.json files and folder listings.
import fs from 'node:fs';
import path from 'node:path';
import '../scan/preload.js'; // before arborist and pacote load
import Arborist from '@npmcli/arborist';
import type { NotInstalledPackage, PackageIdentity, PackageJson, PackageUnit } from '../model.js';
import { dependencyPaths, fsAncestryPath, type NameOf } from './paths.js';
import { specialFileKind } from '../files/special-file.js';
import { detectLayout, hasLockfile, installAdvice } from './layout.js';
import { loadPnpmTree } from './pnpm.js';
import { loadPnpTree } from './pnp.js';
import { npmNotInstalled } from './npm-platform.js';
import { applyBuildPolicy } from './build-policy.js';

type Node = Arborist.Node;

export type OmitType = 'dev' | 'optional' | 'peer';

export interface LoadTreeOptions {
  /** drop packages like `npm --omit`: dev drops node.dev, optional drops node.optional, peer drops
   *  node.peer; devOptional packages go only when both dev and optional are omitted. */
  omit?: OmitType[];
  /** also return the root project itself as a unit (isRoot: true, location ''). */
  includeRoot?: boolean;
}

export interface LoadedTree {
  root: { name: string; version: string; path: string };
  /** one unit per installed package folder, sorted by location. */
  packages: PackageUnit[];
  /** every problem met, for the CLI to print once: the per-package ones (also in unit.warnings)
   *  and tree-level ones (missing dependencies, entries in node_modules that are not packages). */
  warnings: string[];
  /** locked optional dependencies left out on this platform (not scanned, shown as such). */
  notInstalled: NotInstalledPackage[];
  /** removes temp folders the packages were unpacked into (Plug'n'Play archives); call when done. */
  cleanup?: () => void;
  /** locations of package folders that exist but could not be loaded at all (EACCES, EMFILE...). */
  lost?: string[];
}

export type TreeErrorCode = 'NO_PACKAGE_JSON' | 'NO_NODE_MODULES' | 'NOT_A_DIRECTORY' | 'LOAD_FAILED';

/** A tree that cannot be scanned at all; the message is one line meant for the user (exit 2). */
export class TreeError extends Error {
  readonly code: TreeErrorCode;
  constructor(code: TreeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TreeError';
    this.code = code;
  }
}

export async function loadTree(rootDir: string, opts: LoadTreeOptions = {}): Promise<LoadedTree> {
  const realRoot = checkRoot(rootDir);
  // pnpm's virtual store and Yarn's Plug'n'Play map have their own readers (src/tree/pnpm.ts, pnp.ts)
  const layout = detectLayout(realRoot);
  if (layout.kind === 'pnpm') return loadPnpmTree(realRoot, readRootPackage(realRoot), opts);
  if (layout.kind === 'pnp') return loadPnpTree(realRoot, readRootPackage(realRoot), layout.map, opts);

  const warnings: string[] = [];
  let tree: Node;
  try {
    // forceActual: without it arborist trusts node_modules/.package-lock.json when it looks fresh
    // and builds node.package from it, which has no scripts/main/exports and hides broken
    // package.json files. A security scan must read what is really on disk.
    tree = await new Arborist({ path: realRoot }).loadActual({
      forceActual: true,
      filter: (parent, kid) => keepEntry(path.join(parent.realpath, 'node_modules', kid), realRoot, warnings),
    });
  } catch (err) {
    throw new TreeError('LOAD_FAILED', `Could not load the dependency tree in ${realRoot}: ${errorText(err)}`, {
      cause: err,
    });
  }
  const rootNode = tree.target ?? tree;
  const rootName = nonEmptyString(rootNode.packageName) ?? path.basename(realRoot);
  const hiddenLock = readHiddenLockfile(realRoot);
  const projectLock = readProjectLockfile(realRoot) ?? hiddenLock;
  const omit = new Set(opts.omit ?? []);

  const kept: { node: Node; problem: Problem | null }[] = [];
  const lost: string[] = [];

  for (const node of sortedInventory(rootNode)) {
    if (node.dummy) continue; // placeholder for a folder above a link target, not a package
    if (node.isLink) {
      // the target (a separate inventory entry) is the unit; a link without one is only a warning
      if (!node.target) warnings.push(`${node.location}: link to ${node.realpath} has no target; skipped`);
      continue;
    }
    if (node === rootNode) {
      if (opts.includeRoot) kept.push({ node, problem: null });
      continue;
    }
    const problem = describeProblem(node);
    if (problem?.skip) {
      warnings.push(problem.warning);
      if (problem.lost) lost.push(posix(node.location));
      continue;
    }
    if (isOmitted(node, omit)) continue;
    kept.push({ node, problem });
  }

  const nameOf: NameOf = unitName;
  const paths = dependencyPaths(rootNode, nameOf, 3);

  const packages: PackageUnit[] = kept.map(({ node, problem }) => {
    const unitWarnings = problem ? [problem.warning] : [];
    warnings.push(...unitWarnings);
    const isRoot = node === rootNode;
    const extraneous = node.extraneous && !isRoot;
    return {
      name: unitName(node),
      version: typeof node.version === 'string' ? node.version : '',
      location: posix(node.location),
      path: node.realpath,
      // arborist leaves extraneous nodes with every flag set (its "not yet proven needed" state);
      // they are not dev/optional/peer dependencies of anything, so report them as plain packages
      dev: !extraneous && node.dev,
      optional: !extraneous && node.optional,
      peer: !extraneous && node.peer,
      isRoot,
      isWorkspace: node.isWorkspace,
      isLink: !isRoot && node.linksIn.size > 0,
      integrity: integrityOf(node, hiddenLock),
      resolved: resolvedOf(node, hiddenLock),
      paths: isRoot ? [[rootName]] : (paths.get(node) ?? [fsAncestryPath(node, rootNode, nameOf)]),
      pkg: (isPlainObject(node.package) ? node.package : {}),
      warnings: unitWarnings,
      ...(problem?.manifestError ? { manifestError: problem.manifestError } : {}),
      ...(isRoot ? {} : { identity: identityOf(node, projectLock) }),
    };
  });

  warnings.push(...missingDependencyWarnings(kept.map((k) => k.node).concat(opts.includeRoot ? [] : [rootNode])));
  applyBuildPolicy(realRoot, rootNode.package, packages, warnings); // pnpm hoisted, Yarn Berry node-modules
  warnings.sort(compare);

  return {
    root: { name: rootName, version: nonEmptyString(rootNode.package.version) ?? '', path: realRoot },
    packages,
    warnings,
    notInstalled: npmNotInstalled(realRoot, rootNode, paths, nameOf),
    lost,
  };
}

/** Validate the folder before arborist sees it, so each failure gets its own clear message. */
function checkRoot(rootDir: string): string {
  const abs = path.resolve(rootDir);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (err) {
    if (codeOf(err) === 'ENOENT' || codeOf(err) === 'ENOTDIR') {
      throw new TreeError('NOT_A_DIRECTORY', `No such directory: ${abs}: pass a project folder: env-audit scan <dir>`);
    }
    throw new TreeError('LOAD_FAILED', `Cannot read ${abs}: ${errorText(err)}`, { cause: err });
  }
  if (!st.isDirectory()) {
    throw new TreeError('NOT_A_DIRECTORY', `Not a directory: ${abs}: pass a project folder: env-audit scan <dir>`);
  }
  // a real root path keeps arborist from making the root itself a Link
  const real = fs.realpathSync(abs);

  const pkgFile = path.join(real, 'package.json');
  let text: string;
  try {
    text = fs.readFileSync(pkgFile, 'utf8');
  } catch (err) {
    if (codeOf(err) === 'ENOENT' || codeOf(err) === 'EISDIR') {
      throw new TreeError(
        'NO_PACKAGE_JSON',
        `No package.json in ${abs}: run env-audit in a project folder, or pass one: env-audit scan <dir>`,
      );
    }
    throw new TreeError('LOAD_FAILED', `Cannot read ${pkgFile}: ${errorText(err)}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // for a dependency this is a warning; for the project itself the dependency flags cannot be known
    throw new TreeError(
      'LOAD_FAILED',
      `${pkgFile} is not valid JSON (${errorText(err)}): fix it, then run env-audit again`,
      { cause: err },
    );
  }

  if (!isPlainObject(parsed)) {
    throw new TreeError('LOAD_FAILED', `${pkgFile} is not a JSON object: fix it, then run env-audit again`);
  }

  if (detectLayout(real).kind === 'none') {
    const hoisted = findAncestorWithNodeModules(real);
    const hint = hoisted ? ` (in a workspace, run it in the workspace root: env-audit scan ${hoisted})` : '';
    const lock = hasLockfile(real) ? `, or scan the lockfile without installing: env-audit scan --lockfile ${abs}` : '';
    throw new TreeError(
      'NO_NODE_MODULES',
      `No node_modules and no Yarn Plug'n'Play map (.pnp.cjs) in ${abs}: install first (${installAdvice(real)}), then run env-audit again${lock}${hint}`,
    );
  }
  return real;
}

/** package.json of the project, already checked to be a JSON object by checkRoot. */
function readRootPackage(root: string): PackageJson {
  return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;
}

/**
 * Arborist follows every symlink in node_modules. One pointing at a node_modules folder or a
 * scope folder (never a package) makes it re-parent the whole tree under that folder, so every
 * dependency looks missing. Leave such links out; the folders they point at are loaded anyway.
 */
function keepEntry(entry: string, root: string, warnings: string[]): boolean {
  // arborist reads package.json whole: from a FIFO that never answers, from /dev/zero that never
  // ends (a symlink to it can come from git), so the scan would hang
  const special = specialFileKind(path.join(entry, 'package.json'));
  if (special) {
    warnings.push(`${posix(path.relative(root, entry))}: package.json is ${special}, not a file; not scanned`);
    return false;
  }
  let lst: fs.Stats;
  try {
    lst = fs.lstatSync(entry);
  } catch {
    return true; // let arborist report it
  }
  if (!lst.isSymbolicLink()) return true;
  let real: string;
  try {
    real = fs.realpathSync(entry);
  } catch {
    return true; // dangling: arborist makes an error node, reported as a warning later
  }
  const base = path.basename(real);
  const isScopeDir = base.startsWith('@') && path.basename(path.dirname(real)) === 'node_modules';
  if (base === 'node_modules' || isScopeDir) {
    warnings.push(`${posix(path.relative(root, entry))}: symlink to ${real}, which is not a package folder; skipped`);
    return false;
  }
  // Out of the project, follow links to package folders only (npm link, file: deps). A link to /,
  // to a parent of the project or to /etc would make the scan walk, and quote, the whole disk.
  if (!isWithin(real, root) && (isWithin(root, real) || !fs.existsSync(path.join(real, 'package.json')))) {
    warnings.push(`${posix(path.relative(root, entry))}: symlink to ${real}, outside the project and not a package folder; skipped`);
    return false;
  }
  return true;
}

function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function findAncestorWithNodeModules(dir: string): string | null {
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
    if (path.basename(d) === 'node_modules') return null; // inside someone's node_modules: no useful hint
    if (isDirectory(path.join(d, 'node_modules')) && fs.existsSync(path.join(d, 'package.json'))) return d;
  }
  return null;
}

function sortedInventory(root: Node): Node[] {
  return [...root.inventory.values()].sort((a, b) => compare(a.location, b.location));
}

/** npm's omit rule on arborist's flags. Extraneous packages are kept: they are on disk and loadable. */
function isOmitted(node: Node, omit: Set<OmitType>): boolean {
  if (omit.size === 0 || node.extraneous) return false;
  return (
    (node.peer && omit.has('peer')) ||
    (node.dev && omit.has('dev')) ||
    (node.optional && omit.has('optional')) ||
    (node.devOptional && omit.has('dev') && omit.has('optional'))
  );
}

interface Problem {
  /** true when the entry is not a package folder at all (nothing to scan). */
  skip: boolean;
  warning: string;
  /** skipped although it may be a package: it could not be read at all. */
  lost?: boolean;
  /** package.json exists but could not be read (its error code). */
  manifestError?: string;
}

/**
 * Arborist never throws for a bad package: it attaches the error to node.errors and leaves
 * node.package = {}. It also makes nodes for stray files and dangling symlinks in node_modules,
 * so look at the disk to tell "broken package" (scan it) from "not a package folder" (skip it).
 */
function describeProblem(node: Node): Problem | null {
  const loc = posix(node.location);
  if (node.errors.length === 0) return describeContent(node, loc);
  const err = node.errors[0];

  let lst: fs.Stats;
  try {
    lst = fs.lstatSync(node.path);
  } catch (e) {
    return { skip: true, lost: true, warning: `${loc}: cannot be read (${codeOf(e) ?? errorText(e)}); not scanned` };
  }
  let st = lst;
  if (lst.isSymbolicLink()) {
    try {
      st = fs.statSync(node.path);
    } catch {
      return { skip: true, warning: `${loc}: symlink to ${readlinkSafe(node.path)} whose target does not exist; skipped` };
    }
  }
  if (!st.isDirectory()) {
    return { skip: true, warning: `${loc}: not a package folder (${kindOf(st)} in node_modules); skipped` };
  }

  const code = err.code ?? '';
  if (code === 'EJSONPARSE') {
    return { skip: false, warning: `${loc}: package.json is not valid JSON (${jsonErrorText(err)}); scanned without it` };
  }
  if (code === 'ENOENT' && !fs.existsSync(path.join(node.realpath, 'package.json'))) {
    // require('name') still loads name/index.js from such a folder, so its files are scanned
    return { skip: false, warning: `${loc}: folder has no package.json; its files are scanned anyway` };
  }
  if (!code) {
    // valid JSON that @npmcli/package-json cannot normalise (null, a string, a number)
    const shape = rawJsonShape(path.join(node.realpath, 'package.json'));
    if (shape) return { skip: false, warning: `${loc}: package.json is not a JSON object (${shape}); scanned without it` };
  }
  return { skip: false, manifestError: code || errorText(err), warning: `${loc}: could not read package.json (${code || errorText(err)}); its scripts and entry points are unknown` };
}

/** A package.json that loaded but is not shaped like one: arborist keeps e.g. [] as the package. */
function describeContent(node: Node, loc: string): Problem | null {
  const pkg = node.package as unknown;
  if (!isPlainObject(pkg)) {
    return { skip: false, warning: `${loc}: package.json is not a JSON object (${Array.isArray(pkg) ? 'an array' : typeof pkg}); scanned without it` };
  }
  const issues: string[] = [];
  if (nonEmptyString(pkg.name) === null) issues.push('no "name" (using the folder name)');
  if (pkg.version !== undefined && typeof pkg.version !== 'string') issues.push('a "version" that is not a string');
  return issues.length ? { skip: false, warning: `${loc}: package.json has ${issues.join(' and ')}` } : null;
}

function rawJsonShape(file: string): string | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (isPlainObject(v)) return null;
    return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
  } catch {
    return null;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Dependencies a kept package declares but that are not installed: the scan cannot cover them. */
function missingDependencyWarnings(nodes: Node[]): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    if (node.extraneous && !node.isProjectRoot) continue;
    const from = node.isProjectRoot ? 'the project' : posix(node.location);
    for (const edge of [...node.edgesOut.values()].sort((a, b) => compare(a.name, b.name))) {
      // dev/optional/peer deps are legitimately absent after --omit or on other platforms.
      // `!edge.to`, not edge.missing: edge.error runs satisfiedBy → node.inBundle → getBundler,
      // which walks edgesIn recursively and took minutes on a dense 1,350-package graph.
      if (!edge.to && (edge.type === 'prod' || edge.type === 'workspace')) {
        out.push(`${from}: dependency ${edge.name}@${edge.spec} is not installed; it was not scanned`);
      }
    }
  }
  return out;
}

type HiddenLock = Map<string, { name?: string; version?: string; integrity?: string; resolved?: string }>;

/**
 * With forceActual, integrity comes only from package-lock.json / npm-shrinkwrap.json. Trees
 * installed without a lockfile still have npm's hidden lockfile; use it as a fallback source for
 * integrity only (never for package contents), and only when the version matches what is on disk.
 */
function readHiddenLockfile(root: string): HiddenLock {
  return readLockPackages(path.join(root, 'node_modules', '.package-lock.json')) ?? (new Map() as HiddenLock);
}

/** The project's own lockfile (npm-shrinkwrap.json, else package-lock.json), or null without one. */
function readProjectLockfile(root: string): HiddenLock | null {
  for (const name of ['npm-shrinkwrap.json', 'package-lock.json']) {
    const map = readLockPackages(path.join(root, name));
    if (map) return map;
  }
  return null;
}

function readLockPackages(file: string): HiddenLock | null {
  const map: HiddenLock = new Map();
  if (specialFileKind(file)) return null;
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      packages?: Record<string, { name?: unknown; version?: unknown; integrity?: unknown; resolved?: unknown }>;
    };
    if (!data || typeof data.packages !== 'object' || data.packages === null) return null;
    for (const [loc, entry] of Object.entries(data.packages)) {
      if (!entry || typeof entry !== 'object') continue;
      map.set(loc, {
        name: typeof entry.name === 'string' ? entry.name : undefined,
        version: typeof entry.version === 'string' ? entry.version : undefined,
        integrity: typeof entry.integrity === 'string' ? entry.integrity : undefined,
        resolved: typeof entry.resolved === 'string' ? entry.resolved : undefined,
      });
    }
  } catch {
    return null; // absent or unreadable: integrity simply stays unknown
  }
  return map;
}

/** The folder's name, the lockfile entry for the location, and npm aliases naming the package. */
function identityOf(node: Node, lock: HiddenLock): PackageIdentity {
  const loc = posix(node.location);
  const i = loc.lastIndexOf('node_modules/');
  const folder = i >= 0 ? loc.slice(i + 'node_modules/'.length) : undefined;
  const entry = lock.get(loc);
  const aliases: string[] = [];
  for (const edge of node.edgesIn) {
    const m = /^npm:((?:@[^/@]+\/)?[^/@]+)(?:@|$)/.exec(edge.spec ?? '');
    if (m && !aliases.includes(m[1])) aliases.push(m[1]);
  }
  return {
    ...(folder !== undefined ? { folder } : {}),
    ...(entry ? { lock: { name: entry.name ?? folder ?? node.name, ...(entry.version !== undefined ? { version: entry.version } : {}) } } : {}),
    aliases,
  };
}

function integrityOf(node: Node, hidden: HiddenLock): string | null {
  if (node.integrity) return node.integrity;
  const entry = hidden.get(node.location);
  if (entry?.integrity && entry.version && entry.version === node.version) return entry.integrity;
  return null;
}

/** Where the package came from (registry tarball URL, git URL, file:), when any lockfile says. */
function resolvedOf(node: Node, hidden: HiddenLock): string | null {
  if (node.resolved) return node.resolved;
  const entry = hidden.get(node.location);
  if (entry?.resolved && entry.version && entry.version === node.version) return entry.resolved;
  return null;
}

/** package.json name, or the folder name when package.json is missing or broken. */
function unitName(node: Node): string {
  return nonEmptyString(node.packageName) ?? node.name;
}

function jsonErrorText(err: Error): string {
  // "Invalid package.json: JSONParseError: Unexpected token } in JSON at position 41 while parsing near ..."
  return (
    err.message
      .replace(/^Invalid package\.json:\s*/, '')
      .replace(/^JSONParseError:\s*/, '')
      .replace(/\s+while parsing .*$/s, '')
      .trim() || 'parse error'
  );
}

function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].trim();
}

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : undefined;
}

function kindOf(st: fs.Stats): string {
  if (st.isFile()) return 'a file';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a directory';
}

function readlinkSafe(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '?';
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function nonEmptyString(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function posix(p: string): string {
  return p.replace(/\\/g, '/');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
