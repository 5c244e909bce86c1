// What an install-time command line or script does, read from its words (shell-syntax.ts): the
// JavaScript it runs (`node file`, `node -e code`), the script files and binaries it starts
// (`sh x.sh`, `cmd /c x.bat`, `powershell -File x.ps1`, `rundll32 x.dll,Entry`, `./bin/tool`), and
// the techniques real install-time malware used — fetched code run (`curl … | sh`,
// `sh -c "$(wget -qO- …)"`, `iex (iwr …)`, download then run), the environment or a credential
// file sent out (`env | curl -d @- …`, `curl -d "$NPM_TOKEN"`), secrets expanded. Nothing runs.
import { credentialPathsInText } from '../flow/paths.js';
import { envRefs } from '../flow/shell.js';
import { isSecretName } from '../../risk/secret-names.js';
import { normalizeRel } from '../../files/paths.js';
import { parseScript, type Dialect, type SimpleCommand } from './shell-syntax.js';

export type FactKind = 'download-run' | 'network' | 'env-dump' | 'env-read' | 'exfiltration' | 'credential-file' | 'run-binary';

export interface ScriptFact {
  kind: FactKind;
  detail: string;
  line: number;
  snippet: string;
  /** exfiltration: what leaves (an env name, `env` for the whole environment, a credential path). */
  source?: string;
}

export type RunKind = 'js' | 'sh' | 'cmd' | 'ps1' | 'binary';

/** A file the command starts: package-relative when it can be (cwd applied), as written otherwise. */
export interface FileRun {
  path: string;
  kind: RunKind;
  line: number;
  how: string;
}

/** Code given on the command line (`node -e`, `node -p`, `node --eval=`). */
export interface CodeRun {
  code: string;
  line: number;
  how: string;
  module: boolean;
}

export interface ScriptReading {
  facts: ScriptFact[];
  runs: FileRun[];
  code: CodeRun[];
}

export interface ReadOptions {
  /** the package's scripts, for `npm run name`. */
  scripts?: Record<string, string>;
  /** package-relative folder the text runs in ('' = the package root). */
  cwd?: string;
}

const MAX_DEPTH = 6;
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'busybox']);
const INTERPRETERS = new Set([...SHELLS, 'python', 'python3', 'python2', 'perl', 'ruby', 'php', 'node', 'nodejs', 'iex', 'invoke-expression', 'powershell', 'pwsh', 'cmd', 'source', '.', 'eval', 'osascript']);
const NETWORK_TOOLS = new Set([
  'curl', 'wget', 'nc', 'ncat', 'netcat', 'socat', 'telnet', 'ftp', 'tftp', 'scp', 'sftp', 'nslookup', 'dig', 'host',
  'invoke-webrequest', 'invoke-restmethod', 'iwr', 'irm', 'certutil', 'bitsadmin', 'start-bitstransfer', 'aria2c', 'fetch', 'lwp-download',
]);
const WRAPPERS = new Set(['cross-env', 'cross-env-shell', 'env', 'exec', 'nohup', 'time', 'command', 'sudo', 'nice', 'xargs', 'call', 'builtin']);
const KEYWORDS = new Set(['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', '}', 'fi', 'done', 'esac', '@echo']);
const READERS = new Set(['cat', 'type', 'get-content', 'gc', 'base64', 'xxd', 'od', 'head', 'tail', 'more', 'less', 'gzip', 'tar', 'zip', 'openssl']);
const RUNNERS = new Set(['npm', 'yarn', 'pnpm']);
/** Variables the shell itself sets: expanding them reads no environment. */
const SHELL_VARS = new Set(['ERRORLEVEL', 'CD', 'DATE', 'TIME', 'RANDOM', 'CMDCMDLINE', 'LINENO', 'SECONDS', 'PPID', 'IFS', 'OPTARG', 'OPTIND', 'REPLY', 'PIPESTATUS', 'BASH_SOURCE', 'FUNCNAME']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;
const NODE = /^node(?:js)?$/;
const NODE_EVAL = new Set(['-e', '--eval', '-p', '--print']);
const NODE_PRELOAD = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader']);
const NODE_VALUE = new Set([
  '-C', '--conditions', '--input-type', '--title', '--env-file', '--inspect-port', '--stack-size', '--max-old-space-size',
  '--experimental-policy', '--redirect-warnings', '--diagnostic-dir', '--cpu-prof-dir', '--heap-prof-dir', '--report-dir',
  '--openssl-config', '--icu-data-dir',
]);

/** One command as the reader sees it: its name, arguments and where its output goes. */
interface Cmd {
  name: string;
  args: string[];
  src: SimpleCommand;
  /** output consumed by a later pipeline stage, a file or a substitution. */
  captured: boolean;
  /** reads its input from an earlier pipeline stage. */
  piped: boolean;
}

/** State of one read: facts found, files downloaded or written, names the script itself sets. */
class Reader {
  readonly out: ScriptReading = { facts: [], runs: [], code: [] };
  readonly downloaded = new Set<string>();
  /** files a secret was written to: base name → what it holds (`env`, `~/.npmrc`, `gh auth token`). */
  readonly dumped = new Map<string, string>();
  readonly assigned = new Set<string>();
  /** variables the script set from a secret: NAME → what it holds (`env`, `~/.npmrc`, `NPM_TOKEN`). */
  readonly tainted = new Map<string, string>();
  private readonly seen = new Set<string>();
  constructor(readonly scripts: Record<string, string>) {}

  fact(kind: FactKind, detail: string, at: { line: number; text: string }, source?: string): void {
    const key = `${kind}\0${detail}\0${at.line}\0${source ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.out.facts.push({ kind, detail, line: at.line, snippet: at.text, ...(source !== undefined ? { source } : {}) });
  }
}

/** Read a command line or script. Lines are those of `text`. */
export function readScript(text: string, dialect: Dialect = 'sh', opts: ReadOptions = {}): ScriptReading {
  const r = new Reader(opts.scripts ?? {});
  readText(r, text, dialect, { cwd: opts.cwd ?? '', depth: 0, lineBase: 0, captured: false });
  return r.out;
}

interface Where {
  cwd: string;
  depth: number;
  /** added to the lines of `text` (a nested text reports at its host command's line). */
  lineBase: number;
  /** this whole text's output is captured (a substitution body). */
  captured: boolean;
}

function readText(r: Reader, text: string, dialect: Dialect, w: Where): void {
  if (w.depth > MAX_DEPTH) return;
  const commands = parseScript(text, dialect);
  const lastStage = new Map<number, number>();
  for (const c of commands) lastStage.set(c.pipeline, Math.max(lastStage.get(c.pipeline) ?? 0, c.stage));
  const at = (c: SimpleCommand): SimpleCommand => (w.lineBase ? { ...c, line: w.lineBase } : c);
  const cmds: Cmd[] = [];
  let cwd = w.cwd;
  for (const raw of commands) {
    const src = at(raw);
    const cmd = unwrap(r, src, dialect);
    if (!cmd) {
      // `T=$(cat ~/.npmrc)`: the substitution still runs
      for (const body of src.substitutions) readText(r, body, dialect, { ...w, cwd, depth: w.depth + 1, lineBase: src.line, captured: true });
      continue;
    }
    const captured = w.captured || src.stage < (lastStage.get(src.pipeline) ?? 0) || src.redirects.some((x) => x.op.startsWith('>'));
    const one: Cmd = { ...cmd, src, captured, piped: src.stage > 0 };
    if (one.name === 'cd') {
      cwd = normalizeRel(one.args[0] ?? '', cwd) ?? cwd;
      continue;
    }
    cmds.push(one);
    readCommand(r, one, dialect, { ...w, cwd });
    readEnvRefs(r, one);
    for (const body of src.substitutions) readText(r, body, dialect, { ...w, cwd, depth: w.depth + 1, lineBase: src.line, captured: true });
  }
  readPipelines(r, cmds);
  if (dialect === 'ps1' || /\b(?:iex|invoke-expression)\b/i.test(text)) readPowerShellText(r, text, w);
}

/** Strip keywords, `VAR=value`, `@`, and wrappers that run the command after them. */
function unwrap(r: Reader, src: SimpleCommand, dialect: Dialect): { name: string; args: string[] } | null {
  const words = src.words;
  let i = 0;
  let sawEnv = false;
  while (i < words.length) {
    const w = words[i];
    const low = w.toLowerCase();
    const m = ASSIGNMENT.exec(w);
    if (m && dialect !== 'ps1') {
      assign(r, m[1], w.slice(m[0].length));
      i++;
    } else if (KEYWORDS.has(low) || low === 'export' && words.length > i + 1 && ASSIGNMENT.test(words[i + 1])) {
      i++;
    } else if (WRAPPERS.has(base(low))) {
      if (base(low) === 'env') sawEnv = true;
      i++;
      while (i < words.length && words[i].startsWith('-')) i++;
    } else break;
  }
  if (i >= words.length) return sawEnv ? { name: 'env', args: [] } : null;
  let name = base(words[i].replace(/^@/, '')).toLowerCase().replace(/\.exe$/, '');
  // `set NAME=value` in cmd and `$env:NAME = …` in PowerShell assign; they are not reads
  if (dialect === 'cmd' && name === 'set' && words[i + 1] && ASSIGNMENT.test(words[i + 1])) {
    const m = ASSIGNMENT.exec(words[i + 1])!;
    assign(r, m[1], words[i + 1].slice(m[0].length));
    return null;
  }
  if (name === '') name = words[i]!;
  return { name, args: words.slice(i + 1) };
}

/** `T=$(cat ~/.npmrc)`, `E=$(env)`, `K=$NPM_TOKEN`: the variable now carries that secret. */
function assign(r: Reader, name: string, value: string): void {
  r.assigned.add(name);
  const sub = /\$\((.*)\)|`(.*)`/s.exec(value);
  const held = sub ? bodyCommands(sub[1] ?? sub[2] ?? '').map(secretSource).find((x) => x !== null) : undefined;
  const source =
    (held ? (held.kind === 'env' ? 'env' : held.label) : undefined) ??
    credentialPathsInText(value)[0]?.path ??
    envRefs(value).map((n) => r.tainted.get(n) ?? (isSecretName(n) ? n : undefined)).find((x) => x !== undefined);
  if (source !== undefined) r.tainted.set(name, source);
}

function base(word: string): string {
  return word.replace(/\\/g, '/').split('/').pop() ?? word;
}

function readCommand(r: Reader, c: Cmd, dialect: Dialect, w: Where): void {
  const at = { line: c.src.line, text: c.src.text };
  const nested = (text: string, d: Dialect): void => readText(r, text, d, { ...w, depth: w.depth + 1, lineBase: c.src.line, captured: c.captured });
  if (NODE.test(c.name)) return readNode(r, c, w.cwd);
  if (SHELLS.has(c.name)) {
    const ci = c.args.findIndex((a) => /^-[a-z]*c$/.test(a));
    if (ci >= 0) return nested(c.args[ci + 1] ?? '', 'sh');
    const file = c.args.find((a) => !a.startsWith('-'));
    if (file !== undefined) runFile(r, file, 'sh', c, w.cwd);
    return;
  }
  if ((c.name === 'source' || c.name === '.') && c.args[0]) return runFile(r, c.args[0], 'sh', c, w.cwd);
  if (c.name === 'eval') return nested(c.args.join(' '), 'sh');
  if (c.name === 'cmd') {
    const ci = c.args.findIndex((a) => /^\/[ck]$/i.test(a));
    if (ci >= 0) return nested(c.args.slice(ci + 1).join(' '), 'cmd');
    return;
  }
  if (c.name === 'powershell' || c.name === 'pwsh') return readPowerShell(r, c, w, nested);
  if (c.name === 'start' && dialect !== 'ps1') return readStart(r, c, dialect, w);
  if (c.name === 'rundll32' || c.name === 'regsvr32' || c.name === 'msiexec') {
    const target = c.args.find((a) => !/^[/-]/.test(a));
    if (target) runFile(r, target.split(',')[0], 'binary', c, w.cwd, c.name);
    return;
  }
  if (RUNNERS.has(c.name) && w.depth < MAX_DEPTH) {
    const name = runScriptName(c.name, c.args, r.scripts);
    for (const n of name ? [`pre${name}`, name, `post${name}`] : []) {
      const s = r.scripts[n];
      if (s !== undefined) readText(r, s, 'sh', { ...w, depth: w.depth + 1, lineBase: 0 });
    }
    return;
  }
  if (NETWORK_TOOLS.has(c.name)) return readNetworkTool(r, c, at);
  if (c.name === 'chmod') return;
  readDumpOrRead(r, c, at);
  const first = c.src.words.find((x) => !ASSIGNMENT.test(x) && !KEYWORDS.has(x.toLowerCase()));
  if (first !== undefined && looksLikeFile(first)) runFile(r, first, kindOf(first), c, w.cwd);
}

/** `start /B "title" node x.js`: the rest is a command of its own. */
function readStart(r: Reader, c: Cmd, dialect: Dialect, w: Where): void {
  let i = 0;
  while (i < c.args.length && /^\//.test(c.args[i])) i++;
  const rest = c.args.slice(i);
  if (rest.length === 0) return;
  const src: SimpleCommand = { ...c.src, words: rest };
  const inner = unwrap(r, src, dialect);
  if (!inner) return;
  readCommand(r, { ...c, ...inner, src }, dialect, w);
}

function readNode(r: Reader, c: Cmd, cwd: string): void {
  let module = false;
  for (let i = 0; i < c.args.length; i++) {
    const a = c.args[i];
    const eq = a.indexOf('=');
    const flag = eq > 0 && a.startsWith('--') ? a.slice(0, eq) : a;
    if (flag === '--input-type') module = (eq > 0 ? a.slice(eq + 1) : c.args[i + 1]) === 'module';
    if (a === '--') {
      if (c.args[i + 1] !== undefined) runFile(r, c.args[i + 1], 'js', c, cwd, 'node');
      return;
    }
    if (NODE_EVAL.has(flag) || /^-[a-zA-Z]*[ep]$/.test(a)) {
      const code = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : c.args[i + 1];
      if (code !== undefined) r.out.code.push({ code, line: c.src.line, how: `node ${flag}`, module });
      return;
    }
    if (NODE_PRELOAD.has(flag)) {
      const value = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : c.args[++i];
      if (value !== undefined && /^\.\.?[\\/]/.test(value)) runFile(r, value, 'js', c, cwd, 'node');
      continue;
    }
    if (NODE_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a === '-') return; // code from stdin: readPipelines sees what feeds it
    if (a.startsWith('-')) continue;
    runFile(r, a, 'js', c, cwd, 'node');
    return;
  }
}

/** `powershell -File x.ps1`, `-Command "…"`, `-EncodedCommand <base64 UTF-16LE>`. */
function readPowerShell(r: Reader, c: Cmd, w: Where, nested: (text: string, d: Dialect) => void): void {
  for (let i = 0; i < c.args.length; i++) {
    const a = c.args[i].toLowerCase();
    if (a === '-file' || a === '-f') {
      if (c.args[i + 1]) runFile(r, c.args[i + 1], 'ps1', c, w.cwd);
      return;
    }
    if (/^-(?:c|command)$/.test(a)) return nested(c.args.slice(i + 1).join(' '), 'ps1');
    if (/^-(?:e|ec|enc|encodedcommand)$/.test(a)) return nested(Buffer.from(c.args[i + 1] ?? '', 'base64').toString('utf16le'), 'ps1');
    if (/^-(?:executionpolicy|ep|windowstyle|w|version|v)$/.test(a)) i++;
    else if (!a.startsWith('-')) {
      if (/\.ps1$/i.test(a)) runFile(r, c.args[i], 'ps1', c, w.cwd);
      else nested(c.args.slice(i).join(' '), 'ps1');
      return;
    }
  }
}

function runFile(r: Reader, file: string, kind: RunKind, c: Cmd, cwd: string, how?: string): void {
  const at = { line: c.src.line, text: c.src.text };
  const name = base(file);
  if (r.downloaded.has(name)) {
    r.fact('download-run', `${how ? how + ' ' : ''}runs downloaded ${name}`, at);
    return;
  }
  if (/\$\(|[<>]\(|`/.test(file)) return; // a substitution, read as such
  const cleaned = file.replace(/^%~dp0[\\/]?/i, '').replace(/^\$PSScriptRoot[\\/]/i, '');
  const rel = /^[A-Za-z]:|^[$%~]/.test(cleaned) ? null : normalizeRel(cleaned, cwd);
  if (rel === null) return; // outside the package: not a file it ships
  r.out.runs.push({ path: rel, kind, line: c.src.line, how: how ?? (c.name === file ? 'run' : c.name) });
}

function looksLikeFile(word: string): boolean {
  return /\.(?:js|cjs|mjs|sh|bat|cmd|ps1|exe|dll|bin)$/i.test(word) || /^\.{1,2}[\\/]/.test(word) || /^%~dp0/i.test(word);
}

function kindOf(file: string): RunKind {
  if (/\.(?:js|cjs|mjs)$/i.test(file)) return 'js';
  if (/\.sh$/i.test(file)) return 'sh';
  if (/\.(?:bat|cmd)$/i.test(file)) return 'cmd';
  if (/\.ps1$/i.test(file)) return 'ps1';
  return 'binary';
}

function runScriptName(runner: string, args: string[], scripts: Record<string, string>): string | null {
  const rest = args.filter((a) => !a.startsWith('-'));
  if (rest[0] === 'run' || rest[0] === 'run-script') return rest[1] ?? null;
  if (runner !== 'npm' && rest[0] !== undefined && rest[0] in scripts) return rest[0];
  return null;
}

// --- what the commands do -------------------------------------------------------------------

function readNetworkTool(r: Reader, c: Cmd, at: { line: number; text: string }): void {
  r.fact('network', c.name, at);
  const target = downloadTarget(c);
  if (target) r.downloaded.add(base(target));
  // data sent: env values, credential files, files the script dumped the environment into
  for (const a of c.args) {
    for (const name of payloadRefs(a)) {
      const source = r.tainted.get(name) ?? (isSecretName(name) && !r.assigned.has(name) ? name : undefined);
      if (source !== undefined) r.fact('exfiltration', `${source === 'env' ? 'environment' : source} → ${c.name}`, at, source);
    }
    for (const m of credentialPathsInText(a)) {
      r.fact('credential-file', m.path, at);
      r.fact('exfiltration', `${m.path} → ${c.name}`, at, m.path);
    }
    const file = base(a.replace(/^.*@/, ''));
    const held = file === '' ? undefined : r.dumped.get(file);
    if (held !== undefined) r.fact('exfiltration', `${held === 'env' ? 'environment' : held} (${file}) → ${c.name}`, at, held);
  }
}

/** Env refs in an argument outside a URL's scheme and host (the host is a destination). */
function payloadRefs(arg: string): string[] {
  const m = /^[a-z]+:\/\/[^/?#]*/i.exec(arg);
  return shellRefs(m ? arg.slice(m[0].length) : arg);
}

/** Variables a word expands: `$NAME`, `${NAME}`, `%NAME%`, `$env:NAME`, and npm's lowercase `$npm_*`. */
function shellRefs(word: string): string[] {
  const out = envRefs(word);
  for (const m of word.matchAll(/\$\{?(npm_[a-z0-9_]+)/g)) if (!out.includes(m[1])) out.push(m[1]);
  return out;
}

/** Where a download tool writes the file it fetches, or null for stdout. */
function downloadTarget(c: Cmd): string | null {
  const a = c.args;
  const after = (...flags: string[]): string | null => {
    const i = a.findIndex((x) => flags.includes(x.toLowerCase()));
    return i >= 0 ? (a[i + 1] ?? null) : null;
  };
  const urlName = (): string | null => {
    const u = a.find((x) => /^[a-z]+:\/\//i.test(x));
    const n = u ? base(u.replace(/[?#].*$/, '')) : '';
    return n || null;
  };
  const redirected = c.src.redirects.find((x) => x.op.startsWith('>'))?.target;
  switch (c.name) {
    case 'curl': {
      const i = a.findIndex((x) => /^-[a-zA-Z]*o$/.test(x) || x === '--output');
      if (i >= 0) return a[i + 1] === '-' ? null : (a[i + 1] ?? null);
      return a.some((x) => /^-[a-zA-Z]*O$/.test(x) || x === '--remote-name') ? urlName() : (redirected ?? null);
    }
    case 'wget': {
      let o: string | null = a.find((x) => x.startsWith('--output-document='))?.slice(18) ?? after('--output-document');
      const i = a.findIndex((x) => /^-[a-zA-Z]*O/.test(x));
      if (o === null && i >= 0) o = a[i].replace(/^-[a-zA-Z]*O/, '') || (a[i + 1] ?? null);
      if (o === '-') return null;
      return o ?? redirected ?? urlName();
    }
    case 'certutil':
    case 'bitsadmin': {
      const rest = a.filter((x) => !/^[-/]/.test(x));
      return rest.length >= 2 ? rest[rest.length - 1] : null;
    }
    default:
      return after('-outfile', '-destination', '-o') ?? redirected ?? null;
  }
}

/** `env`, `printenv`, `set`, `export -p`, `gci env:`, `cat /proc/self/environ`, `cat ~/.npmrc`, `gh auth token`. */
function readDumpOrRead(r: Reader, c: Cmd, at: { line: number; text: string }): void {
  const src = secretSource(c);
  if (!src) return;
  if (src.kind === 'env') {
    if (c.captured) r.fact('env-dump', src.label, at);
  } else r.fact('credential-file', src.label, at);
  for (const x of c.src.redirects) if (x.op.startsWith('>')) r.dumped.set(base(x.target), src.kind === 'env' ? 'env' : src.label);
}

/** What secret a command prints: the environment, a credential file, a minted token, another process's memory. */
function secretSource(c: Cmd): { kind: 'env' | 'secret'; label: string } | null {
  const dump = isDump(c);
  if (dump) return { kind: 'env', label: dump };
  if (READERS.has(c.name) || c.name === 'dd' || c.name === 'strings') {
    const m = c.args.flatMap((a) => credentialPathsInText(a))[0];
    if (m) return { kind: m.environ ? 'env' : 'secret', label: m.path };
    const mem = c.args.find((a) => /^(?:if=)?\/proc\/[^/\s]+\/(?:mem|maps)$/.test(a));
    if (mem) return { kind: 'secret', label: mem.replace(/^if=/, '') };
  }
  const words = [c.name, ...c.args.filter((a) => !a.startsWith('-'))].join(' ').toLowerCase();
  for (const [re, label] of TOKEN_COMMANDS) if (re.test(words)) return { kind: 'secret', label };
  return null;
}

/** The credential-printing commands and secret reads in a command line (`gh auth token`, `cat ~/.npmrc`). */
export function secretCommands(text: string): string[] {
  return [...new Set(readScript(text).facts.filter((f) => f.kind === 'credential-file').map((f) => f.detail))];
}

/** Commands that print or mint a credential, and secret scanners that collect them from the disk. */
const TOKEN_COMMANDS: readonly [RegExp, string][] = [
  [/^gh auth (?:token|status)\b/, 'gh auth token'],
  [/^npm token (?:list|create)\b|^npm config get .*(?:_auth|token)/, 'npm token'],
  [/^aws (?:sts get-session-token|sts assume-role|configure export-credentials|configure get .*(?:secret|key|token)|ecr get-login-password)\b/, 'aws credentials command'],
  [/^gcloud auth (?:application-default )?print-(?:access|identity)-token\b/, 'gcloud auth print-access-token'],
  [/^az account get-access-token\b/, 'az account get-access-token'],
  [/^(?:kubectl config view --raw|kubectl get secrets?)\b/, 'kubectl secrets'],
  [/^(?:trufflehog|gitleaks|detect-secrets)\b/, 'secret scanner'],
  [/^security find-(?:generic|internet)-password\b/, 'macOS keychain'],
];

function isDump(c: Cmd): string | null {
  if ((c.name === 'env' || c.name === 'printenv') && c.args.filter((a) => !a.startsWith('-')).length === 0) return c.name;
  if (c.name === 'set' && c.args.length === 0) return 'set';
  if ((c.name === 'export' || c.name === 'declare') && c.args.some((a) => /^-[a-z]*[px]/.test(a))) return `${c.name} -p`;
  if (/^(?:get-childitem|gci|dir|ls)$/.test(c.name) && c.args.some((a) => /^env:\\?$/i.test(a))) return `${c.name} env:`;
  if (c.args.some((a) => /\/proc\/[^/]+\/environ/.test(a))) return '/proc/self/environ';
  return null;
}

/** Every `$NAME` a command expands is a read of that variable (unless the script set it). */
function readEnvRefs(r: Reader, c: Cmd): void {
  const at = { line: c.src.line, text: c.src.text };
  const refs = new Set<string>();
  for (const word of [c.name, ...c.args, ...c.src.redirects.map((x) => x.target)]) {
    for (const n of shellRefs(word)) refs.add(n);
  }
  for (const n of refs) if (!r.assigned.has(n) && !SHELL_VARS.has(n.toUpperCase())) r.fact('env-read', n, at);
}

/** Pipelines: fetched text into an interpreter; the environment or a credential file into a network tool. */
function readPipelines(r: Reader, cmds: Cmd[]): void {
  const byPipe = new Map<number, Cmd[]>();
  for (const c of cmds) byPipe.set(c.src.pipeline, [...(byPipe.get(c.src.pipeline) ?? []), c]);
  for (const stages of byPipe.values()) {
    stages.sort((a, b) => a.src.stage - b.src.stage);
    stages.forEach((c, i) => {
      const later = stages.slice(i + 1);
      const at = { line: c.src.line, text: c.src.text };
      if (NETWORK_TOOLS.has(c.name) && !downloadTarget(c)) {
        const run = later.find((x) => readsStdinAsCode(x));
        if (run) r.fact('download-run', `${c.name} … | ${run.name}`, at);
      }
      const src = secretSource(c);
      const net = later.find((x) => NETWORK_TOOLS.has(x.name));
      if (src && net) r.fact('exfiltration', `${src.kind === 'env' ? 'environment' : src.label} → ${net.name}`, at, src.kind === 'env' ? 'env' : src.label);
    });
  }
  for (const c of cmds) readSubstitutions(r, c);
}

function readsStdinAsCode(c: Cmd): boolean {
  if (!INTERPRETERS.has(c.name)) return false;
  if (c.name === 'iex' || c.name === 'invoke-expression' || c.name === 'eval') return true;
  // `sh`, `sh -s -- args`, `node -`, `python3 -`: the program is the piped text
  return !c.args.some((a) => !a.startsWith('-')) || c.args.includes('-') || c.args.includes('-s');
}

/** The commands of a substitution body, named as the reader names them. */
function bodyCommands(body: string): Cmd[] {
  return parseScript(body, 'sh').map((src) => {
    const words = src.words.filter((w) => !ASSIGNMENT.test(w) && !KEYWORDS.has(w.toLowerCase()));
    return { name: base(words[0] ?? '').toLowerCase().replace(/\.exe$/, ''), args: words.slice(1), src, captured: true, piped: false };
  });
}

/** `sh -c "$(curl …)"`, `bash <(wget …)`, `eval "$(curl …)"`; `curl -d "$(env)"`. */
function readSubstitutions(r: Reader, c: Cmd): void {
  if (c.src.substitutions.length === 0) return;
  const at = { line: c.src.line, text: c.src.text };
  for (const body of c.src.substitutions) {
    const inner = bodyCommands(body);
    const fetcher = inner.find((x) => NETWORK_TOOLS.has(x.name));
    if (fetcher && INTERPRETERS.has(c.name)) r.fact('download-run', `${c.name} runs the output of ${fetcher.name}`, at);
    if (NETWORK_TOOLS.has(c.name)) {
      const src = inner.map(secretSource).find((x) => x !== null);
      if (src) r.fact('exfiltration', `${src.kind === 'env' ? 'environment' : src.label} → ${c.name}`, at, src.kind === 'env' ? 'env' : src.label);
    }
  }
}

const PS_FETCH = /\b(?:DownloadString|DownloadData|Invoke-WebRequest|Invoke-RestMethod|iwr|irm|Net\.WebClient|curl|wget)\b/i;
const PS_EXEC = /\b(?:iex|Invoke-Expression)\b|\|\s*&\s*\(|\[scriptblock\]::Create/i;

/** PowerShell, statement by line: `iex (New-Object Net.WebClient).DownloadString(u)`, `DownloadFile(u, f)`. */
function readPowerShellText(r: Reader, text: string, w: Where): void {
  text.split('\n').forEach((line, i) => {
    const at = { line: w.lineBase || i + 1, text: line.trim().replace(/\s+/g, ' ').slice(0, 200) };
    const fetch = PS_FETCH.exec(line);
    if (fetch) r.fact('network', fetch[0], at);
    if (fetch && PS_EXEC.test(line)) r.fact('download-run', 'Invoke-Expression runs downloaded text', at);
    const df = /DownloadFile\s*\(\s*[^,]+,\s*['"]?([^'")]+)/i.exec(line);
    if (df) {
      r.fact('network', 'Net.WebClient.DownloadFile', at);
      r.downloaded.add(base(df[1].trim()));
    }
    const sp = /\bStart-Process\s+(?:-FilePath\s+)?['"]?([^'"\s;]+)/i.exec(line);
    if (sp && r.downloaded.has(base(sp[1]))) r.fact('download-run', `Start-Process runs downloaded ${base(sp[1])}`, at);
  });
}
