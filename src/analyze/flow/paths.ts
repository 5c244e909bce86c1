// Which file paths an expression can name, and whether one of them is a credentials file.
// Paths are folded from constants and from the few bases a credential stealer uses: the home
// folder (`os.homedir()`, `os.userInfo().homedir`, `process.env.HOME/USERPROFILE`, a literal `~`),
// the project folder (`process.cwd()`, `__dirname`), Windows' `%APPDATA%`, through `path.join/
// resolve/normalize`, `+`, templates, `||`/`?:`, `.replace(/^~/, home)`, local bindings, the
// file's own functions (their return expressions) and parameters (every call site's argument).
// Anything else is an unknown segment, shown as `*`; a path whose base is unknown is never
// reported (a config loader walking up from a directory it was given is not reading `~/.npmrc`).
import type { AstNode } from '../ast.js';
import type { FileContext } from '../context.js';
import type { Scope } from '../scope.js';
import type { CallGraph } from './calls.js';
import { memberKey, unwrap } from './calls.js';

/** An unknown part of a path. */
export const U = '\u0000';
const MAX_VALUES = 16;
const MAX_DEPTH = 10;
const MAX_STEPS = 50_000;

/** Env vars that name a base folder, and how a path built on them is written. */
const ENV_BASES: Record<string, string> = {
  HOME: '~',
  USERPROFILE: '~',
  HOMEPATH: '~',
  HOMEDRIVE: '',
  APPDATA: '%APPDATA%',
  LOCALAPPDATA: '%LOCALAPPDATA%',
  XDG_CONFIG_HOME: '~/.config',
};

const PATH_MODULES = new Set(['path', 'path/posix', 'path/win32', 'upath', 'pathe']);

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || p.startsWith('~') || p.startsWith('%') || p.startsWith(U) || /^[A-Za-z]:[\\/]/.test(p);
}

function joinParts(parts: string[]): string {
  const kept = parts.filter((p) => p !== '');
  if (kept.length === 0) return '';
  let out = kept.join('/');
  out = out.replace(/([\\/])[\\/]+/g, '$1').replace(/(^|[\\/])\.(?=[\\/])[\\/]?/g, '$1');
  return out;
}

function resolveParts(parts: string[]): string {
  let start = 0;
  for (let i = 0; i < parts.length; i++) if (isAbsolute(parts[i])) start = i;
  return joinParts(parts.slice(start));
}

function cartesian(lists: string[][], combine: (parts: string[]) => string): string[] {
  let acc: string[][] = [[]];
  for (const l of lists) {
    const next: string[][] = [];
    for (const a of acc) for (const v of l) if (next.length < MAX_VALUES) next.push([...a, v]);
    acc = next;
  }
  return [...new Set(acc.map(combine))];
}

function uniq(list: string[]): string[] {
  return [...new Set(list)].slice(0, MAX_VALUES);
}

export class PathEvaluator {
  private readonly memo = new Map<AstNode, string[]>();
  private steps = 0;

  constructor(
    private readonly ctx: FileContext,
    private readonly calls: CallGraph,
  ) {}

  /** Candidate paths for an expression; unknown parts are `U`. */
  values(node: AstNode | null | undefined, scope: Scope, depth = 0, seen: Set<unknown> = new Set()): string[] {
    if (!node || depth > MAX_DEPTH || ++this.steps > MAX_STEPS) return [U];
    const n = unwrap(node);
    const m = this.memo.get(n);
    if (m) return m;
    if (seen.has(n)) return [U];
    seen.add(n);
    let out: string[];
    try {
      out = this.compute(n, scope, depth, seen);
    } finally {
      seen.delete(n);
    }
    this.memo.set(n, out);
    return out;
  }

  private compute(n: AstNode, scope: Scope, depth: number, seen: Set<unknown>): string[] {
    const v = this.ctx.evaluate(n, scope);
    // path.sep and path.posix.sep: `path.sep + 'proc' + path.sep + 'self' …`
    if (v.k === 'member' && PATH_MODULES.has(v.module) && v.path[v.path.length - 1] === 'sep') return ['/'];
    // `process.env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials')`: the fallback counts
    const fallback = n.type === 'LogicalExpression' || n.type === 'Identifier' || n.type === 'ConditionalExpression';
    if (v.k === 'envValue' && !fallback) return [v.name !== null && ENV_BASES[v.name.toUpperCase()] !== undefined ? ENV_BASES[v.name.toUpperCase()] : U];
    if (v.k === 'str') return [v.v];
    if (v.k === 'num') return [String(v.v)];
    const sub = (x: AstNode | null | undefined, s: Scope = scope): string[] => this.values(x, s, depth + 1, seen);
    switch (n.type) {
      case 'Identifier': {
        const b = scope.lookup(n.name);
        if (!b) return n.name === '__dirname' ? [''] : [U];
        if (seen.has(b)) return [U];
        seen.add(b);
        try {
          const out: string[] = [];
          const iterated = this.calls.iterated(b);
          if (iterated) {
            for (const it of iterated) out.push(...sub(it.node, it.scope));
            return uniq(out);
          }
          if (b.kind === 'param') for (const site of this.calls.argsFor(b)) out.push(...sub(site.node, site.scope));
          if (b.init && !b.path) out.push(...sub(b.init, b.initScope ?? b.scope));
          else if (b.init) out.push(U);
          for (const a of b.assigned) out.push(...(a.path ? [U] : sub(a.value, a.scope)));
          return out.length ? uniq(out) : [U];
        } finally {
          seen.delete(b);
        }
      }
      case 'TemplateLiteral': {
        const lists: string[][] = [];
        n.quasis.forEach((q: AstNode, i: number) => {
          lists.push([q.value.cooked ?? '']);
          if (i < n.expressions.length) lists.push(sub(n.expressions[i]));
        });
        return cartesian(lists, (p) => p.join(''));
      }
      case 'BinaryExpression':
        return n.operator === '+' ? cartesian([sub(n.left), sub(n.right)], (p) => p.join('')) : [U];
      case 'LogicalExpression':
        return n.operator === '&&' ? sub(n.right) : uniq([...sub(n.left), ...sub(n.right)]);
      case 'ConditionalExpression':
        return uniq([...sub(n.consequent), ...sub(n.alternate)]);
      case 'AwaitExpression':
        return sub(n.argument);
      case 'MemberExpression': {
        // os.userInfo().homedir
        if (memberKey(this.ctx, n, scope) === 'homedir') {
          const o = unwrap(n.object);
          if (o.type === 'CallExpression') {
            const c = this.ctx.evaluate(o.callee, scope);
            if (c.k === 'member' && c.module === 'os' && c.path[c.path.length - 1] === 'userInfo') return ['~'];
          }
        }
        return [U];
      }
      case 'CallExpression':
        return this.call(n, scope, sub);
      default:
        return [U];
    }
  }

  private call(n: AstNode, scope: Scope, sub: (x: AstNode | null | undefined, s?: Scope) => string[]): string[] {
    const args: AstNode[] = n.arguments;
    const callee = unwrap(n.callee);
    const cv = this.ctx.evaluate(callee, scope);
    if (cv.k === 'member') {
      const last = cv.path[cv.path.length - 1];
      if (cv.module === 'os' && last === 'homedir') return ['~'];
      if (cv.module === 'os' && last === 'tmpdir') return ['/tmp'];
      if (cv.module === 'process' && last === 'cwd') return [''];
      if (PATH_MODULES.has(cv.module) && (last === 'join' || last === 'resolve' || last === 'normalize' || last === 'toNamespacedPath')) {
        if (args.some((a) => a.type === 'SpreadElement')) return [U];
        const lists = args.map((a) => sub(a));
        return cartesian(lists, last === 'resolve' ? resolveParts : joinParts);
      }
      if ((cv.module === 'fs' || cv.module === 'fs/promises') && /^realpath/.test(last)) return sub(args[0]);
      return [U];
    }
    if (cv.k === 'builtin' && cv.name === 'String') return sub(args[0]);
    const fn = this.calls.resolveFn(callee, scope, cv);
    if (fn) {
      if (fn.expression) return sub(fn.body, this.calls.fnScopes.get(fn) ?? scope);
      const out: string[] = [];
      for (const r of this.calls.returns.get(fn) ?? []) out.push(...sub(r.arg, r.scope));
      return out.length ? uniq(out) : [U];
    }
    if (callee.type === 'MemberExpression') {
      const m = memberKey(this.ctx, callee, scope);
      if (m === 'replace' || m === 'replaceAll') {
        // '~/.docker/config.json'.replace(/^~/, home)
        const pat = args[0];
        const isTilde =
          (pat?.type === 'Literal' && pat.regex && /^\^?~$/.test(pat.regex.pattern)) ||
          (pat?.type === 'Literal' && pat.value === '~');
        const recv = sub(callee.object);
        if (isTilde) {
          const repl = sub(args[1]);
          return cartesian([repl, recv.map((r) => (r.startsWith('~') ? r.slice(1) : r))], (p) => p.join(''));
        }
        return recv;
      }
      if (m === 'concat') return cartesian([sub(callee.object), ...args.map((a) => sub(a))], (p) => p.join(''));
      if (m === 'trim' || m === 'toString' || m === 'normalize') return sub(callee.object);
    }
    return [U];
  }
}

/** Show a candidate path: unknown parts become `*`. */
function showPath(p: string): string {
  return p.replace(/\u0000+/g, '*');
}

export interface CredentialMatch {
  /** the path as written (unknown parts `*`). */
  path: string;
  /** what the file holds, for messages. */
  what: string;
  /** true for /proc/<pid>/environ: the file IS the environment. */
  environ: boolean;
}

const CREDENTIAL_FILES: { re: RegExp; what: string }[] = [
  { re: /(^|\/)\.npmrc$/i, what: 'npm registry credentials' },
  { re: /(^|\/)\.yarnrc(\.yml)?$/i, what: 'yarn registry credentials' },
  { re: /(^|\/)\.env(\.(?!(?:example|sample|template|tpl|dist|defaults?|schema)$)[\w.*-]+)?$/i, what: 'a dotenv file' },
  { re: /(^|\/)\.envrc$/i, what: 'a direnv file' },
  { re: /(^|\/)\.aws\/(credentials|config)$/i, what: 'AWS credentials' },
  { re: /(^|\/)\.ssh(\/.*)?$/i, what: 'SSH keys and config' },
  { re: /(^|\/)\.git-credentials$/i, what: 'git credentials' },
  { re: /(^|\/)[._]netrc$/i, what: 'netrc credentials' },
  { re: /(^|\/)\.docker\/config\.json$/i, what: 'Docker registry credentials' },
  { re: /(^|\/)\.kube\/config$/i, what: 'Kubernetes credentials' },
  { re: /(^|\/)(?:\.config|%APPDATA%|AppData\/Roaming)\/gcloud(\/.*)?$/i, what: 'Google Cloud credentials' },
  { re: /(^|\/)\.azure(\/.*)?$/i, what: 'Azure CLI credentials' },
  { re: /(^|\/)\.pypirc$/i, what: 'PyPI credentials' },
  { re: /(^|\/)\.config\/gh\/hosts\.yml$/i, what: 'GitHub CLI token' },
  { re: /(^|\/)\.cargo\/credentials(\.toml)?$/i, what: 'Cargo registry token' },
  { re: /(^|\/)\.vault-token$/i, what: 'Vault token' },
  { re: /(^|\/)\.pgpass$/i, what: 'PostgreSQL passwords' },
  { re: /(^|\/)\.terraform\.d\/credentials\.tfrc\.json$/i, what: 'Terraform Cloud token' },
  { re: /(^|\/)\.gnupg(\/.*)?$/i, what: 'GnuPG keys' },
  // browser and Discord profile stores: saved passwords, cookies, session tokens
  { re: /(^|\/)(?:Local Storage|Session Storage)\/leveldb(\/.*)?$/i, what: 'browser or Discord token store' },
  { re: /(^|\/)(?:Default|Profile [^/]+|Network)\/(?:Login Data|Web Data|Cookies)$/i, what: 'browser saved passwords and cookies' },
  { re: /(^|\/)User Data\/Local State$/i, what: 'browser encryption key' },
  { re: /(^|\/)(?:logins\.json|key[34]\.db|cookies\.sqlite)$/i, what: 'Firefox saved logins' },
  // crypto wallets
  { re: /(^|\/)\.config\/solana\/id\.json$/i, what: 'Solana wallet key' },
  { re: /(^|\/)\.ethereum\/keystore(\/.*)?$/i, what: 'Ethereum keystore' },
  { re: /(^|\/)wallet\.dat$/i, what: 'Bitcoin-style wallet' },
  { re: /(^|\/)(?:Exodus\/exodus\.wallet|\.?electrum\/wallets|atomic\/Local Storage)(\/.*)?$/i, what: 'crypto wallet' },
  { re: /nkbihfbdgfeogaegkmfpkbkjggfnknd|bfnaelmomeimhlpmgjnjophhpkkoljpa|ibnejdfjmmkpcnlpebklmnkoeoihofec/, what: 'browser wallet extension store' },
  // GitHub Actions runner files (step outputs, env files, the job's temp folder)
  { re: /^\/home\/runner\/work\/_temp(\/.*)?$|(^|\/)_runner_file_commands(\/.*)?$/i, what: 'GitHub Actions runner files' },
  // another process's memory (the tj-actions technique: secrets read out of the runner's memory)
  { re: /^\/proc\/(?:self|\d+|\*|\$\w+|\$\{\w+\})\/(?:mem|maps)$/, what: 'the memory of a process' },
];

/** Hosts of the cloud instance-metadata services: what they answer holds the machine's credentials. */
export const METADATA_HOSTS = /\b(?:169\.254\.169\.254|169\.254\.170\.2|metadata\.google\.internal|100\.100\.100\.200|fd00:ec2::254)\b/i;
const PROC_ENVIRON = /^\/proc\/(?:self|thread-self|\d+|\*|\$\$|\$\w+|\$\{\w+\})\/environ$/;

/** Is this candidate path a credentials file? Paths with an unknown base never are. */
export function credentialFile(p: string): CredentialMatch | null {
  if (p.startsWith(U) || p === '') return null;
  const shown = showPath(p);
  const norm = shown.replace(/\\/g, '/').replace(/\/+/g, '/');
  if (PROC_ENVIRON.test(norm)) return { path: shown, what: 'the environment of a process', environ: true };
  for (const c of CREDENTIAL_FILES) if (c.re.test(norm)) return { path: shown, what: c.what, environ: false };
  return null;
}

/** Credential paths mentioned in a shell command (`cat ~/.npmrc`, `$HOME/.aws/credentials`, `/proc/self/environ`). */
export function credentialPathsInText(text: string): CredentialMatch[] {
  const out: CredentialMatch[] = [];
  for (const raw of text.split(/[\s'"`;|&<>()=,]+/)) {
    if (!raw || raw.length > 200) continue;
    const tok = raw.replace(/^@/, '');
    const normalised = tok
      .replace(/^(?:\$HOME|\$\{HOME\}|%USERPROFILE%|%HOMEPATH%|\$env:USERPROFILE|\$env:HOME)(?=[\\/]|$)/i, '~');
    const m = credentialFile(normalised);
    if (m && !out.some((o) => o.path === tok)) out.push({ ...m, path: tok });
  }
  return out;
}
