// Droppers: code that writes a file and then starts it — a download saved to disk and run (the
// ua-parser-js miner: https.get → createWriteStream(dest) → spawn(dest)), or a .bat/.sh/.ps1 written
// with a constant body that fetches or runs something (curl/wget/certutil/rundll32) and then
// executed. The written path and the started command are matched by the variable that holds the
// path, or by the file's name in the command line.
import { callArgs, typed, type AstNode } from '../ast.js';
import type { FileContext } from '../context.js';
import type { Scope } from '../scope.js';
import { fsWrite } from '../api.js';
import { HOLE, textOf } from './shell.js';
import { readScript } from '../package/install-commands.js';
import { unwrap } from './calls.js';
import type { Val } from '../values.js';

export interface WrittenFile {
  /** the binding that holds the path, when the path is a variable. */
  binding: object | null;
  /** the path's text, holes as HOLE. */
  path: string;
  /** the constant body written, when it is one. */
  body: string | null;
}

/** A file write (`fs.writeFileSync(p, body)`, `fs.createWriteStream(p)`), or null. */
export function writtenFile(ctx: FileContext, callee: Val, call: AstNode, scope: Scope): WrittenFile | null {
  const args = callArgs(call);
  if (!fsWrite(callee) || args.length === 0) return null;
  const target = typed(unwrap(args[0]));
  const binding = target.type === 'Identifier' ? (scope.lookup(target.name) ?? null) : null;
  const body = args.length > 1 ? textOf(ctx, ctx.calls, args[1], scope) : null;
  return { binding, path: textOf(ctx, ctx.calls, target, scope), body: body !== null && !body.includes(HOLE) ? body : null };
}

/** The started command's first argument as a binding, when it is a variable. */
export function startedBinding(call: AstNode, scope: Scope): object | null {
  const args = callArgs(call);
  const first = args.length > 0 ? typed(unwrap(args[0])) : null;
  return first?.type === 'Identifier' ? (scope.lookup(first.name) ?? null) : null;
}

/** Does this command start that written file? Then what the pair is: a fetched or scripted payload run. */
export function runsWritten(w: WrittenFile, commandText: string, binding: object | null, fileHasNetwork: boolean): string | null {
  const name = baseName(w.path);
  const known = name !== '' && !name.includes(HOLE);
  const same = (binding !== null && binding === w.binding) || (known && commandText.split(/[\s"'/\\]+/).includes(name));
  if (!same) return null;
  const shown = known ? name : 'a file';
  if (w.body !== null) {
    const dialect = /\.(?:bat|cmd)$/i.test(w.path) ? 'cmd' : /\.ps1$/i.test(w.path) ? 'ps1' : 'sh';
    const facts = readScript(w.body, dialect).facts;
    const what = facts.find((f) => f.kind === 'download-run') ?? facts.find((f) => f.kind === 'network');
    if (what) return `writes ${shown} that ${what.kind === 'network' ? `runs ${what.detail}` : what.detail}, then runs it`;
    return null;
  }
  return fileHasNetwork ? `writes ${shown} (a download) and runs it` : null;
}

function baseName(p: string): string {
  return p.replace(/\\/g, '/').split('/').pop() ?? '';
}

