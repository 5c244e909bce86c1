// Package-relative path helpers shared by entry points and reachability. Paths are posix, relative
// to the package folder, with no leading './'.
import path from 'node:path';

/**
 * Normalise a path written in package.json or source ('./lib/x.js', 'lib\\x.js', 'a/../b') to a
 * package-relative posix path: '' for the package folder itself, null for paths that leave the
 * package or are absolute.
 */
export function normalizeRel(p: string, baseDir = ''): string | null {
  if (typeof p !== 'string' || p === '' || p.includes('\0')) return null;
  const slashed = p.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:\//.test(slashed)) return null;
  const joined = path.posix.normalize(baseDir ? `${baseDir}/${slashed}` : slashed);
  const trimmed = joined.replace(/\/+$/, '');
  if (trimmed === '' || trimmed === '.') return '';
  if (trimmed === '..' || trimmed.startsWith('../')) return null;
  return trimmed.startsWith('./') ? trimmed.slice(2) : trimmed;
}

// Node's CommonJS probing order, widened to .cjs/.mjs: a generous match only marks a file as an
// entry, it never hides one.
const EXTENSIONS = ['.js', '.cjs', '.mjs', '.json'];
const INDEXES = ['index.js', 'index.cjs', 'index.mjs', 'index.json'];

/** Resolve a package-relative path to a file in `files`: exact, with an extension, or a folder index. */
export function resolveFile(rel: string, files: ReadonlySet<string>, opts: { exactOnly?: boolean } = {}): string | null {
  if (rel === '') return opts.exactOnly ? null : (INDEXES.find((idx) => files.has(idx)) ?? null);
  if (files.has(rel)) return rel;
  if (opts.exactOnly) return null;
  for (const ext of EXTENSIONS) if (files.has(rel + ext)) return rel + ext;
  for (const idx of INDEXES) if (files.has(`${rel}/${idx}`)) return `${rel}/${idx}`;
  return null;
}

export const JS_FILE = /\.(?:js|cjs|mjs)$/;
