// The plain data that flows between stages: tree → files → findings → scored packages → reporters.
// Every stage imports its types from here and nothing else, so each stage can be tested alone and
// the worker pool only ever ships FileJob in and FileResult out.

export const RULE_IDS = [
  'env-read',
  'env-read-dynamic',
  'env-bulk',
  'env-write',
  'network',
  'child-process',
  'credential-file',
  'eval',
  'dynamic-require',
  'obfuscation',
  'install-script',
  'exfiltration',
  'parse-error',
  'name-mismatch',
  'hidden-access',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const CAPABILITIES = [
  'env',
  'network',
  'child_process',
  'filesystem_credentials',
  'eval',
  'dynamic_require',
  'obfuscation',
  'install_script',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const LEVELS = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type Level = (typeof LEVELS)[number];

/** One installed package, as the tree stage found it. */
export interface PackageUnit {
  name: string;
  version: string;
  /** arborist location relative to the root, posix separators ('' for the root). */
  location: string;
  /** absolute real path of the package folder. */
  path: string;
  dev: boolean;
  optional: boolean;
  peer: boolean;
  isRoot: boolean;
  isWorkspace: boolean;
  isLink: boolean;
  integrity: string | null;
  /** where it was installed from (tarball URL, git URL, file:), when a lockfile says; null otherwise. */
  resolved?: string | null;
  /** up to 3 shortest dependency paths from the root, each a list of package names. */
  paths: string[][];
  /** package.json as read by arborist (may be {} when broken). */
  pkg: PackageJson;
  /** problems met while loading this package (broken package.json, missing folder, ...). */
  warnings: string[];
  /** set when the package manager decides differently from npm whether this package's install
   *  scripts run (pnpm's onlyBuiltDependencies, Yarn's enableScripts): run=false drops them. */
  installScripts?: { run: boolean; why: string };
  /** why package.json could not be read (EMFILE, EACCES, ...): its scripts and entry points are unknown. */
  manifestError?: string;
  /** what else names this package: its folder and its lockfile entry (see analyze/package/identity.ts). */
  identity?: PackageIdentity;
}

/** The names a package goes by besides its manifest's: they must all agree. */
export interface PackageIdentity {
  /** the name its folder under node_modules stands for ("@s/b" for node_modules/@s/b); absent outside node_modules. */
  folder?: string;
  /** the lockfile's entry for its location (package-lock.json, else node_modules/.package-lock.json). */
  lock?: { name: string; version?: string };
  /** `npm:<name>@…` specs that install it under another name (npm aliases), as dependents declare them. */
  aliases: string[];
}

/** A locked dependency not on disk because it is not for this machine (an optional platform binary). */
export interface NotInstalledPackage {
  name: string;
  version: string;
  /** "not installed for this platform (os aix, cpu ppc64; this is linux x64)". */
  reason: string;
  paths: string[][];
}

export interface PackageJson {
  name?: unknown;
  version?: unknown;
  type?: unknown;
  main?: unknown;
  module?: unknown;
  exports?: unknown;
  bin?: unknown;
  browser?: unknown;
  scripts?: unknown;
  gypfile?: unknown;
  [key: string]: unknown;
}

export type SourceType = 'module' | 'commonjs';

/** One file to analyse: everything a worker needs, nothing it must look up. */
export interface FileJob {
  /** absolute path on disk. */
  absPath: string;
  /** path relative to the package folder, posix separators. */
  file: string;
  /** which parse goal to try first (from the extension and the nearest package.json "type"). */
  sourceType: SourceType;
  /** the package this file belongs to (its name), used by detectors that need context. */
  packageName: string;
  size: number;
  /** parse even if the prefilter would skip it (a second look: see link-package.ts). */
  fullParse?: boolean;
}

/** A finding, exactly as the report contract defines it, plus optional extras. */
export interface Finding {
  rule: RuleId;
  /** relative to the package folder, posix separators. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 0-based column (acorn's convention). */
  column: number;
  /** the env name, module, sink, or a short description: what the finding is about. */
  detail: string;
  /**
   * Which of the rule's messages this is (src/rules/<rule>.ts `messages`) and the values its
   * template was filled with: what the scorer and other programs read instead of `detail`.
   */
  messageId?: string;
  data?: FindingData;
  /** one line of source, trimmed, control characters escaped. */
  snippet: string;
  /** human sentence explaining the finding (optional, shown by `explain`). */
  message?: string;
  /** false when no entry point or install script reaches the file; absent = unknown/true. */
  reachable?: boolean;
  /** true when the file runs at install time (lifecycle script entry or reached from one). */
  installTime?: boolean;
  /** for exfiltration: the source and sink ends of the flow. */
  flow?: FlowEnds;
  /** true when the behaviour is what this package is expected to do (vendor SDK, dotenv loader). */
  expected?: boolean;
  /** why it is expected (shown in reasons). */
  expectedReason?: string;
  /** true when a project allowlist entry accepts this finding: it no longer counts for --fail-on. */
  accepted?: boolean;
  /** what the finding shows beyond its rule, when the level depends on it (risk/score.ts). */
  technique?: Technique;
  /** for code that is not a file on disk (analyze/embedded/): how it is reached. */
  origin?: string;
  /** the code was decoded, concealed or read from data: a reader of the sources does not see it. */
  hidden?: boolean;
  /** obfuscation of an encoded constant that was decoded and analysed as embedded code: the virtual
   *  file its findings carry. The hiding then weighs by what that code does, not by itself. */
  embeddedAs?: string;
  /** hidden-access: what `env-audit trace` saw the package do that the static analysis did not. */
  runtime?: RuntimeEvidence;
}

/** What kind of run-time event a trace recorded (see docs/trace-format.md). */
export type RuntimeKind = 'env-read' | 'env-enumerate' | 'env-write' | 'network' | 'child-process' | 'credential-file';

/** Which capability a run-time event is evidence of. */
export const RUNTIME_CAPABILITY: Readonly<Record<RuntimeKind, Capability>> = {
  'env-read': 'env',
  'env-enumerate': 'env',
  'env-write': 'env',
  network: 'network',
  'child-process': 'child_process',
  'credential-file': 'filesystem_credentials',
};

interface RuntimeEvidence {
  kind: RuntimeKind;
  /** env kinds: the variable (`*` for an enumeration); others: the API (`dns.lookup`). */
  name: string;
  /** child-process: the program's base name; credential-file: the path. */
  target?: string;
  /** how often it happened during the traced command, over every process. */
  count: number;
}

/** A name or capability compared between the static report and a trace. */
export type TraceStatus = 'confirmed' | 'static-only' | 'runtime-only';

/** `scan --trace`: this package's static claims next to what the traced command did. */
export interface PackageTrace {
  /** true when the trace recorded anything for this package. */
  seen: boolean;
  /** every env name read, statically or at run time, sorted. */
  reads: { name: string; status: TraceStatus; count?: number }[];
  writes: { name: string; status: TraceStatus; count?: number }[];
  /** whole-environment enumeration (not counting the env Node hands a child); absent when neither side has one. */
  bulk?: TraceStatus;
  /** capabilities other than env, sorted; `apis` are the run-time APIs used. */
  capabilities: { capability: Capability; status: TraceStatus; apis: string[] }[];
}

/** `scan --trace`: the trace that was merged. */
interface ReportTrace {
  /** the trace file as given on the command line. */
  file: string;
  /** traced processes and worker threads. */
  processes: number;
  /** lines that were not valid records (skipped). */
  invalidLines: number;
  /** packages of the report the trace saw doing something. */
  packagesSeen: number;
  /** packages the trace saw that the report does not list (outside the tree, omitted), as name@location, at most 20. */
  notInReport: string[];
  /** env names the project's own code read (when the root is not part of the report). */
  projectReads: string[];
}

/**
 * download-and-run: fetched code is run (`curl … | sh`, download then execute);
 * shipped-binary: a binary or DLL the package ships is started (`rundll32 x.dll,Main`, `./bin/tool`).
 */
export type Technique = 'download-and-run' | 'shipped-binary';

/** A finding's structured values: names, modules, paths, counts — never an env var's value. */
export type FindingData = Record<string, string | number>;

export interface FlowEnds {
  source: { detail: string; line: number; column: number };
  sink: {
    detail: string;
    line: number;
    column: number;
    /** where the value lands: `payload` (data carried: body, query value, argument) or `auth`
     *  (a credential position: authorization header, basic auth, token path segment). */
    position?: 'payload' | 'auth';
    /** constant hosts the sink call may send to (from its constant origin or fallbacks). */
    hosts?: string[];
    /** env names that form the sink's destination (its base URL or host settings). */
    destinationEnv?: string[];
  };
}

/** What a worker returns for one file. */
export interface FileResult {
  file: string;
  findings: Finding[];
  /** static, constant require()/import specifiers, for reachability. */
  imports: string[];
  /** true when the file could not be parsed even loosely. */
  parseError: boolean;
  bytes: number;
  /** true when the prefilter proved no detector can fire and the full parse was skipped. */
  prefiltered?: boolean;
  /** set when the file was not analysed although node could run it (see Unanalysed). */
  unanalysed?: Unanalysed;
  /** exported functions that read the environment with a parameter as (part of) the key. */
  envReaders?: EnvReaderExport[];
  /** calls with constant arguments to functions imported from other files of the package. */
  importedCalls?: ImportedCall[];
  /** what the file's functions do with the env, and calls it could not resolve (see FileSummary). */
  summary?: FileSummary;
}

/**
 * Function summaries and unresolved calls of one file, as plain data for the package linker
 * (analyze/flow/summaries.ts builds them, analyze/package/link-package.ts resolves them).
 */
export interface FileSummary {
  /** exported functions that read names from a parameter when it is the env object. */
  envParams?: { exportName: string; index: number; names: string[]; escapes: boolean }[];
  /** class and object methods by name: how they build an env key from their parameters, or that they return the env. */
  methods?: { name: string; parts?: EnvReaderExport['parts'][]; returnsEnv?: boolean; conflict?: boolean }[];
  /** `x.initParam('NODE_CONFIG_DIR')` on a receiver the file cannot resolve, with an UPPER_CASE constant argument. */
  methodCalls?: { method: string; args: (string | null)[]; line: number; column: number; snippet: string }[];
  /** findings that hold if a method of this name returns the env (`const env = pf.getEnv(); env.X`). */
  ifReturnsEnv?: { method: string; findings: Finding[] }[];
}

/**
 * Why a file was not analysed: over the size limit, the time limit, the analyser crashed (out of
 * memory, too deep), or it could not be read. A package with any such file is incomplete: it is
 * never reported clean, and --fail-on fails it unless --allow-incomplete. (Binary files and files
 * that are not regular files are not among them: node cannot run them as code.)
 */
export type Unanalysed = 'size' | 'timeout' | 'crash' | 'unreadable';

/** `exports.readEnv = (name) => process.env[name]`: the export and how its key is built. */
export interface EnvReaderExport {
  exportName: string;
  /** the key template: constant text and parameter slots (see analyze/values.ts SymPart). */
  parts: (string | { param: number; upper?: boolean; lower?: boolean })[];
  /**
   * What the helper's own read is reported as when no file of the package calls it with a
   * constant: an exported `readEnv(name)` reads whatever its users name (env-read-dynamic).
   */
  unresolved?: Finding[];
}

/** `(0, env_1.readEnv)('OPENAI_API_KEY')` where env_1 = require('./internal/utils/env.js'). */
export interface ImportedCall {
  specifier: string;
  exportName: string;
  args: (string | null)[];
  /** argument positions that are the env object (`detectAIAgent(process.env)`). */
  envArgs?: number[];
  /** the env passed is the result of a method of this name (counts only if the package has one returning the env). */
  ifReturnsEnv?: string;
  /** what handing the env over amounts to (a bulk use): reported unless the export only reads names from it. */
  findings?: Finding[];
  line: number;
  column: number;
  snippet: string;
}

export interface EnvSummary {
  reads: string[];
  secretReads: string[];
  dynamic: boolean;
  bulk: boolean;
  writes: string[];
}

/** A scored package: the contract's Package. */
export interface PackageReport {
  name: string;
  version: string;
  location: string;
  dev: boolean;
  optional: boolean;
  peer: boolean;
  score: number;
  level: Level;
  env: EnvSummary;
  capabilities: Capability[];
  reasons: string[];
  findings: Finding[];
  paths: string[][];
  integrity?: string | null;
  /** how each point of score was earned: reason text, points, and the finding it rests on. */
  scoreBreakdown?: ScoreItem[];
  warnings?: string[];
  /** what could not be analysed ("lib/big.js: over the size limit", "package.json: EMFILE"); absent when everything was. */
  incomplete?: string[];
  files?: number;
  bytes?: number;
  /** true when the allowlist accepts everything that gave this package a level above none. */
  accepted?: boolean;
  /** the reasons of the allowlist entries that accepted findings of this package. */
  acceptedReason?: string;
  /** score and level without the accepted findings: what --fail-on looks at (set when any is accepted). */
  effectiveScore?: number;
  effectiveLevel?: Level;
  /** against --baseline: a package the baseline does not know, one whose risk grew, or neither. */
  baseline?: 'new' | 'changed' | 'unchanged';
  /** against --baseline: what grew ("new secret read NPM_TOKEN", "gains network", "level low → high"). */
  drift?: string[];
  /** with `scan --trace`: static claims against what the traced command did. */
  trace?: PackageTrace;
}

export interface ScoreItem {
  points: number;
  reason: string;
  rule: RuleId;
  file: string;
  line: number;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'env-audit'; version: string };
  generatedAt: string;
  root: { name: string; version: string; path: string };
  summary: {
    packages: number;
    files: number;
    bytes: number;
    parseErrors: number;
    byLevel: Record<Level, number>;
    durationMs: number;
    /** packages not fully analysed (see Package.incomplete). */
    incomplete?: number;
    /** package folders that could not be loaded at all (each named in warnings): the scan is incomplete. */
    lost?: string[];
  };
  packages: PackageReport[];
  /** locked dependencies this machine's install leaves out (optional platform binaries); not scanned. */
  notInstalled?: NotInstalledPackage[];
  warnings?: string[];
  /** how the project policy (config, allowlist, baseline) was applied; absent when none was. */
  policy?: ReportPolicy;
  /** with `scan --trace`: the trace that was merged. */
  trace?: ReportTrace;
}

export interface ReportPolicy {
  /** the config file, or null when there is none. */
  config: string | null;
  /** the threshold in force (--fail-on or the config's failOn). */
  failOn?: Level;
  /** every allowlist entry, with what it matched. */
  allow: AllowEntryStatus[];
  baseline?: { file: string; new: string[]; changed: string[] };
  /** `name@version` of the packages that fail the gate, after allowlist and baseline. */
  failing: string[];
}

export interface AllowEntryStatus {
  package: string;
  version?: string;
  reason: string;
  expires?: string;
  /** past its date: it accepts nothing. */
  expired: boolean;
  /** `name@version` of the packages it accepted findings of (or would have, when expired). */
  matched: string[];
}

export function levelRank(level: Level): number {
  return LEVELS.length - 1 - LEVELS.indexOf(level); // none=0 … critical=4
}
