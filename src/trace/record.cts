// The trace file format, shared by the preload (CommonJS, it runs inside the traced program) and
// the readers (ESM). One JSON object per line; several processes and threads append to one file.
// Values are never part of a record: names, counts, program names, credential paths and the first
// call site only.

/** The env var that names the output file. Without it the preload records nothing. */
export const TRACE_FILE_VAR = 'ENV_AUDIT_TRACE_FILE';
/** The folder that package locations and project call sites are relative to (default: the first process's cwd). */
export const TRACE_ROOT_VAR = 'ENV_AUDIT_TRACE_ROOT';

export type TraceKind = 'env-read' | 'env-enumerate' | 'env-write' | 'network' | 'child-process' | 'credential-file';

/** The line every traced process (or worker thread) writes first. */
export interface ProcessLine {
  v: 1;
  kind: 'process';
  pid: number;
  ppid: number;
  /** worker thread id, 0 for the main thread */
  thread: number;
  node: string;
}

/** One event kind on one name/API by one package, with how often it happened since the last flush. */
export interface EventLine {
  v: 1;
  kind: TraceKind;
  pid: number;
  thread: number;
  /** the package name; null for the project's own code (or code outside any node_modules) */
  package: string | null;
  /** posix path of the package folder relative to the trace root ('' for the project); absolute when outside the root */
  location: string;
  /** the package's version from its package.json, when readable */
  version?: string;
  /** env-read/env-write: the variable name; network/child-process/credential-file: the API (`http.request`) */
  name: string;
  /** child-process: the program's base name; credential-file: the path, `~` for the home folder */
  target?: string;
  /** env-enumerate done by Node itself on the package's behalf: `child_process` (the env a child inherits), `worker`, `util.inspect` */
  via?: string;
  /** env-write: `set` or `delete` */
  op?: string;
  /** occurrences since this process's previous line for the same key (sum them) */
  count: number;
  /** first call site seen by this process: file (relative to the package folder or root), line, column */
  site: string;
}
