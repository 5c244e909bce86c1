// Which files of a package its entry points can load, following relative require/import
// specifiers. Bare specifiers are other packages and are not followed.
import path from 'node:path';
import { normalizeRel, resolveFile } from './paths.js';

/**
 * Resolve a relative specifier ('./x', '../y/z', '.', './dir/') written in `fromFile` to a file in
 * `files`, with extension probing and folder index. Returns null for bare specifiers, '#imports',
 * URLs, and anything that leaves the package or matches no file.
 */
export function resolveImport(fromFile: string, specifier: string, files: ReadonlySet<string>): string | null {
  if (typeof specifier !== 'string') return null;
  const spec = specifier.replace(/\\/g, '/');
  if (!(spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../'))) return null;
  // ESM allows a query on file specifiers ('./x.js?v=2'); the file is the same
  const clean = spec.replace(/\?.*$/, '');
  const rel = normalizeRel(clean, path.posix.dirname(fromFile.replace(/\\/g, '/')));
  if (rel === null) return null;
  // './dir/' asks for the folder, never a file named like it
  if (clean.endsWith('/') && rel !== '') return resolveFile(`${rel}/index`, files);
  return resolveFile(rel, files);
}

/** Every file reachable from `entries` over resolvable relative imports (entries included). */
export function reachableFiles(
  entries: Iterable<string>,
  importsByFile: ReadonlyMap<string, readonly string[]>,
  files: ReadonlySet<string>,
): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const e of entries) {
    if (files.has(e) && !seen.has(e)) {
      seen.add(e);
      queue.push(e);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i];
    for (const spec of importsByFile.get(file) ?? []) {
      const hit = resolveImport(file, spec, files);
      if (hit !== null && !seen.has(hit)) {
        seen.add(hit);
        queue.push(hit);
      }
    }
  }
  return seen;
}

/** Folders whose code does not run when the package is used: tests, examples, benchmarks, docs. */
const NON_RUNTIME_DIR = /(^|\/)(tests?|__tests__|__mocks__|spec|specs|examples?|demos?|benchmarks?|bench|docs?|fixtures?|samples?|scripts?\/test)\//i;
const TEST_FILE = /(^|\/)[^/]*\.(test|spec)\.[cm]?js$/i;
/**
 * Published bundles: a package ships them to run (UMD files for CDNs and `<script>` tags, chunks a
 * bundled CLI loads by computed import), even when no entry point names them.
 */
const BUNDLE_DIR = /^(dist|build|bundles?|umd)\//i;

/**
 * Whether a finding's file counts as unreachable (test/example code, or a file an `exports` map
 * hides). A file an entry point reaches never is; nor is a published bundle outside test and
 * example folders. Without an `exports` map any file can be deep-imported, so only test, example,
 * bench and docs files are.
 */
export function isUnreachable(file: string, reached: ReadonlySet<string>, hasExportsMap: boolean): boolean {
  if (reached.has(file)) return false;
  if (NON_RUNTIME_DIR.test(file) || TEST_FILE.test(file)) return true;
  if (BUNDLE_DIR.test(file)) return false;
  return hasExportsMap;
}
