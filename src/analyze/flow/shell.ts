// Commands handed to child processes: which calls start one, the command line as far as it is
// constant (literals, folded constants, templates with holes, argument arrays, char-code arrays
// decoded by a local helper), and what the command does — dump the environment (`env`, `printenv`,
// `set`, `export -p`, `/proc/self/environ`, PowerShell's `env:` drive), reach the network (`curl`,
// `wget`, `nc`, `/dev/tcp/…`, `Invoke-WebRequest`), or expand environment variables (`$NPM_TOKEN`,
// `%NPM_TOKEN%`, `$env:NPM_TOKEN`).
import type { AstNode } from '../ast.js';
import type { FileContext } from '../context.js';
import type { Scope } from '../scope.js';
import type { ProcessCall } from '../api.js';
import type { CallGraph } from './calls.js';
import { memberKey, unwrap } from './calls.js';

/** A part of a command line that is not known statically. */
export const HOLE = '\u0000';

function charCodes(node: AstNode | undefined): string | undefined {
  if (!node || node.type !== 'ArrayExpression' || node.elements.length === 0 || node.elements.length > 4096) return undefined;
  let out = '';
  for (const el of node.elements) {
    if (!el || el.type !== 'Literal' || typeof el.value !== 'number') return undefined;
    out += String.fromCharCode(el.value);
  }
  return out;
}

/** `String.fromCharCode.apply(null, x)` / `String.fromCharCode(...x)`: the `x`. */
function fromCharCodeArray(ctx: FileContext, call: AstNode, scope: Scope): AstNode | undefined {
  if (call.type !== 'CallExpression') return undefined;
  const c = unwrap(call.callee);
  if (c.type === 'MemberExpression' && memberKey(ctx, c, scope) === 'apply') {
    const f = ctx.evaluate(c.object, scope);
    if (f.k === 'builtin' && f.name === 'String.fromCharCode') return call.arguments[1];
  }
  const f = ctx.evaluate(c, scope);
  if (f.k === 'builtin' && f.name === 'String.fromCharCode' && call.arguments.length === 1 && call.arguments[0].type === 'SpreadElement') {
    return call.arguments[0].argument;
  }
  return undefined;
}

/**
 * `path.join(__dirname, 'bin', 'x.dll')` as text: `__dirname` is the file's own folder (package-
 * relative, so a command can be matched against the package's files), other parts as text.
 */
function pathJoinText(ctx: FileContext, n: AstNode, scope: Scope, sub: (x: AstNode) => string): string | undefined {
  const f = ctx.evaluate(n.callee, scope);
  if (f.k !== 'member' || f.module !== 'path' || (f.path[0] !== 'join' && f.path[0] !== 'resolve') || n.arguments.length === 0) return undefined;
  const dir = ctx.job.file.includes('/') ? ctx.job.file.slice(0, ctx.job.file.lastIndexOf('/')) : '.';
  const parts = n.arguments.map((a: AstNode) => (a.type === 'Identifier' && a.name === '__dirname' && !scope.lookup('__dirname') ? dir : sub(a)));
  return parts.join('/').replace(/\/+/g, '/');
}

/** The constant text of an expression, with HOLE for what is not known. */
export function textOf(ctx: FileContext, calls: CallGraph, node: AstNode | null | undefined, scope: Scope, depth = 0): string {
  if (!node || depth > 8) return HOLE;
  const n = unwrap(node);
  const k = ctx.constString(n, scope);
  if (k !== undefined) return k;
  const sub = (x: AstNode, s: Scope = scope): string => textOf(ctx, calls, x, s, depth + 1);
  switch (n.type) {
    case 'TemplateLiteral': {
      let out = '';
      n.quasis.forEach((q: AstNode, i: number) => {
        out += q.value.cooked ?? '';
        if (i < n.expressions.length) out += sub(n.expressions[i]);
      });
      return out;
    }
    case 'BinaryExpression':
      return n.operator === '+' ? sub(n.left) + sub(n.right) : HOLE;
    case 'ArrayExpression':
      return n.elements.map((e: AstNode | null) => (e && e.type !== 'SpreadElement' ? sub(e) : HOLE)).join(' ');
    case 'Identifier': {
      const b = scope.lookup(n.name);
      if (b && b.init && !b.path && b.assigned.length === 0 && !b.mutated && b.kind !== 'param') return sub(b.init, b.initScope ?? b.scope);
      return HOLE;
    }
    case 'CallExpression': {
      const joined = pathJoinText(ctx, n, scope, sub);
      if (joined !== undefined) return joined;
      const direct = fromCharCodeArray(ctx, n, scope);
      if (direct) return charCodes(unwrap(direct)) ?? HOLE;
      // a local helper: function (a) { return String.fromCharCode.apply(null, a); }
      const fn = calls.resolveFn(n.callee, scope);
      if (fn) {
        const ret = fn.expression ? fn.body : calls.returns.get(fn)?.[0]?.arg;
        const inner = ret ? fromCharCodeArray(ctx, unwrap(ret), calls.fnScopes.get(fn) ?? scope) : undefined;
        if (inner && inner.type === 'Identifier' && fn.params[0]?.type === 'Identifier' && inner.name === fn.params[0].name) {
          return charCodes(unwrap(n.arguments[0] ?? inner)) ?? HOLE;
        }
        return HOLE;
      }
      const c = unwrap(n.callee);
      if (c.type === 'MemberExpression' && memberKey(ctx, c, scope) === 'join') {
        const sep = n.arguments[0] ? ctx.constString(n.arguments[0], scope) : ',';
        const arr = unwrap(c.object);
        if (sep !== undefined && arr.type === 'ArrayExpression') {
          return arr.elements.map((e: AstNode | null) => (e && e.type !== 'SpreadElement' ? sub(e) : HOLE)).join(sep);
        }
      }
      return HOLE;
    }
    default:
      return HOLE;
  }
}

/** The command line of a process call: the command plus, for spawn-style calls, its argument array. */
export function commandText(ctx: FileContext, calls: CallGraph, call: AstNode, scope: Scope, pc: ProcessCall): string {
  const args: AstNode[] = call.arguments;
  if (args.length === 0) return '';
  let text = textOf(ctx, calls, args[0], scope);
  if (!pc.shell && args[1] && args[1].type !== 'ObjectExpression' && !/Function/.test(args[1].type)) {
    text += ' ' + textOf(ctx, calls, args[1], scope);
  }
  return text;
}

/** One line for a message: whitespace collapsed, holes as `…`, at most ~60 characters. */
export function shortCommand(text: string, max = 60): string {
  const one = text.replace(/\u0000+/g, '…').replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1).trimEnd() + '…' : one;
}

const START = String.raw`(?:^|[;&|(\x60\n]|\$\(|\b(?:sh|bash|zsh|cmd|powershell|pwsh)(?:\.exe)?\s+(?:-c|/c|-Command)\s+['"]?)\s*`;
const END = String.raw`(?=\s*(?:$|[|;&>)\x60\n'"]|2>))`;
const DUMPS: [RegExp, string][] = [
  [new RegExp(`${START}(env|printenv)${END}`), ''],
  [new RegExp(`${START}(set)${END}`), ''],
  [new RegExp(`${START}((?:export|declare)\\s+-[px])${END}`), ''],
  [/(\/proc\/(?:self|thread-self|\d+|\*|\$\$|\$\w+|\$\{\w+\})\/environ)\b/, ''],
  [/\b((?:Get-ChildItem|gci|dir|ls)\s+env:)/i, ''],
  [/(\[(?:System\.)?Environment\]::GetEnvironmentVariables\(\))/i, ''],
];

/** What an environment-dumping command prints (`env`, `printenv`, `/proc/self/environ`), or null. */
export function dumpsEnvironment(text: string): string | null {
  for (const [re] of DUMPS) {
    const m = re.exec(text);
    if (m) return m[1].replace(/\s+/g, ' ');
  }
  return null;
}

const NETWORK_TOOL = /(?:^|[\s;&|(`'"/\\])(curl|wget|nc|ncat|netcat|socat|telnet|nslookup|dig|ssh|scp|sftp|ftp|tftp|Invoke-WebRequest|Invoke-RestMethod|iwr|irm|certutil|bitsadmin)(?:\.exe)?(?=$|[\s;&|)`'"])|\/dev\/(?:tcp|udp)\//i;

/** The network tool a command line runs (`curl`, `nc`, `/dev/tcp`), or null. */
export function networkTool(text: string): string | null {
  const m = NETWORK_TOOL.exec(text);
  if (!m) return null;
  return m[1] ?? '/dev/tcp';
}

/** Environment variables a command line expands: `$NAME`, `${NAME}`, `%NAME%`, `$env:NAME`, `printenv NAME`. */
export function envRefs(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)\b\}?/g)) out.add(m[1]);
  for (const m of text.matchAll(/%([A-Za-z_][A-Za-z0-9_]*)%/g)) out.add(m[1]);
  for (const m of text.matchAll(/\$env:([A-Za-z_][A-Za-z0-9_]*)/gi)) out.add(m[1]);
  for (const m of text.matchAll(/\bprintenv\s+([A-Za-z_][A-Za-z0-9_]*)/g)) out.add(m[1]);
  return [...out];
}
