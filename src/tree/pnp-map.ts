// Yarn Plug'n'Play's map, read as data and never run: .pnp.data.json as it is, or the JSON string
// Yarn inlines into .pnp.cjs as RAW_RUNTIME_STATE, found by parsing the file with acorn.
import { parse } from 'acorn';
import { simple } from 'acorn-walk';
import { isObject, readJsonObject, readText } from './read-manifest.js';

export interface PnpPackage {
  name: string | null;
  reference: string | null;
  /** relative to the project: "./.yarn/cache/x.zip/node_modules/x/", "./.yarn/unplugged/…/", "./". */
  location: string;
  /** dependency name → [package name, reference] it resolves to; null when unresolved (a missing peer). */
  dependencies: [string, [string, string] | null][];
  linkType: 'HARD' | 'SOFT';
}

interface PnpMap {
  /** the project's own workspaces: [name, reference]. */
  roots: [string, string][];
  packages: PnpPackage[];
}

function rawStateFromCjs(text: string): string | null {
  let ast;
  try {
    ast = parse(text, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true, allowReturnOutsideFunction: true });
  } catch {
    return null;
  }
  let found: string | null = null;
  simple(ast, {
    VariableDeclarator(node) {
      if (found !== null || node.id.type !== 'Identifier' || node.id.name !== 'RAW_RUNTIME_STATE') return;
      const init = node.init;
      if (init?.type === 'Literal' && typeof init.value === 'string') found = init.value;
      else if (init?.type === 'TemplateLiteral' && init.expressions.length === 0) found = init.quasis[0]?.value.cooked ?? null;
    },
  });
  return found;
}

function parseDeps(v: unknown): PnpPackage['dependencies'] {
  if (!Array.isArray(v)) return [];
  const out: PnpPackage['dependencies'] = [];
  for (const item of v) {
    if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
    const [dep, ref] = item as [string, unknown];
    if (typeof ref === 'string') out.push([dep, [dep, ref]]);
    else if (Array.isArray(ref) && typeof ref[0] === 'string' && typeof ref[1] === 'string') out.push([dep, [ref[0], ref[1]]]); // an alias
    else out.push([dep, null]);
  }
  return out;
}

function fromState(state: Record<string, unknown>): PnpMap | string {
  if (!Array.isArray(state.packageRegistryData)) return 'has no packageRegistryData';
  const packages: PnpPackage[] = [];
  for (const group of state.packageRegistryData) {
    if (!Array.isArray(group) || !Array.isArray(group[1])) continue;
    const name = typeof group[0] === 'string' ? group[0] : null;
    for (const item of group[1] as unknown[]) {
      if (!Array.isArray(item) || !isObject(item[1])) continue;
      const info = item[1];
      if (typeof info.packageLocation !== 'string') continue;
      packages.push({
        name,
        reference: typeof item[0] === 'string' ? item[0] : null,
        location: info.packageLocation,
        dependencies: parseDeps(info.packageDependencies),
        linkType: info.linkType === 'SOFT' ? 'SOFT' : 'HARD',
      });
    }
  }
  const roots: [string, string][] = [];
  for (const r of Array.isArray(state.dependencyTreeRoots) ? state.dependencyTreeRoots : []) {
    if (isObject(r) && typeof r.name === 'string' && typeof r.reference === 'string') roots.push([r.name, r.reference]);
  }
  return { roots, packages };
}

/** The map, or a one-line problem ("is not valid JSON", "has no RAW_RUNTIME_STATE"). */
export function readPnpMap(file: string): PnpMap | string {
  if (file.endsWith('.json')) {
    const r = readJsonObject(file);
    return r.ok ? fromState(r.value) : r.problem;
  }
  const text = readText(file);
  if (!text.ok) return text.problem;
  const raw = rawStateFromCjs(text.value);
  if (raw === null) return 'has no RAW_RUNTIME_STATE string (written by an unknown Yarn version, or not by Yarn); run yarn install again';
  try {
    const state = JSON.parse(raw) as unknown;
    return isObject(state) ? fromState(state) : 'RAW_RUNTIME_STATE is not an object';
  } catch (err) {
    return `RAW_RUNTIME_STATE is not valid JSON (${(err as Error).message})`;
  }
}
