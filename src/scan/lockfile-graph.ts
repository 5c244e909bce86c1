// What pnpm-lock.yaml and yarn.lock say, as one shape: every locked package with where to fetch
// it and what each of its dependencies resolves to. lockfile-store.ts lays it out on disk.
export type LockDepType = 'prod' | 'dev' | 'optional' | 'peer';

export interface LockDep {
  name: string;
  type: LockDepType;
  /** id of the locked package it resolves to. */
  to: string;
}

export interface LockedPackage {
  id: string;
  name: string;
  version: string;
  /** fetch spec for pacote: a tarball URL, or name@version (the registry's own integrity applies). */
  spec: string | null;
  /** the lockfile's integrity (SRI), checked against the tarball; null when it records none. */
  integrity: string | null;
  /** why it is not fetched (git, file:, patch:, workspace), when spec is null. */
  notFetched?: string;
  os?: unknown;
  cpu?: unknown;
  libc?: unknown;
  deps: LockDep[];
}

export interface LockGraph {
  /** "pnpm-lock.yaml v9.0", "yarn.lock v1", "yarn.lock (Berry, v8)". */
  format: string;
  /** the manager, for the tree stage's install-script rules: "pnpm", "pnpm@10.4.1", "yarn". */
  manager: string;
  rootDeps: LockDep[];
  packages: Map<string, LockedPackage>;
  warnings: string[];
}

/** pacote spec for a registry package when the lockfile has no tarball URL. */
export function registrySpec(name: string, version: string): string {
  return `${name}@${version}`;
}
