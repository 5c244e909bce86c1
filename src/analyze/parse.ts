// Parsing: acorn with every allowance real npm code needs. Module goal first (it is the stricter
// one, and ESM-only syntax fails as script), then the script goal for sloppy-mode code (`with`,
// octal literals, `package` as a name). A file that fails both is a parse-error finding upstream.
import * as acorn from 'acorn';
import type { SourceType } from '../model.js';
import type { AstNode } from './ast.js';

export interface ParseOk {
  ok: true;
  ast: AstNode;
  goal: 'module' | 'script';
}
export interface ParseFail {
  ok: false;
  message: string;
  line: number;
  column: number;
}

/**
 * acorn with a stack-overflow handler that runs no regular expression. acorn's own handler tests
 * the error message with two regexes in the catch of the innermost parseExpression, with almost no
 * stack left, and the first use of a regex compiles it there: V8 then aborts the whole process
 * ("FATAL ERROR: RegExpCompiler Allocation failed"), workers and all. 2,000 nested
 * `(function(){…})()` were enough on the main thread. A RangeError here can only be the stack.
 */
const SafeParser = acorn.Parser.extend(
  (Base) =>
    class extends Base {
      catchStackOverflow(this: { raise(pos: number, message: string): never; start: number }, f: () => unknown): unknown {
        try {
          return f();
        } catch (e) {
          if (e instanceof RangeError) this.raise(this.start, 'Not enough stack space to parse input');
          throw e;
        }
      }
    },
);

/** The allowances real npm code needs; the benchmark's parse floor uses the same ones. */
export const ACORN_OPTIONS = {
  ecmaVersion: 'latest',
  allowHashBang: true,
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  allowImportExportEverywhere: true,
  allowSuperOutsideMethod: true,
  allowReserved: true,
  // positions are offsets; lines and columns are computed only for findings (see lines.ts):
  // `locations: true` would allocate two objects per node on 250 MB of code.
  locations: false,
} as const;

function tryParse(code: string, goal: 'module' | 'script'): AstNode {
  return SafeParser.parse(code, { ...ACORN_OPTIONS, sourceType: goal });
}

export function parseSource(code: string, _preferred: SourceType): ParseOk | ParseFail {
  let firstError: unknown;
  try {
    return { ok: true, ast: tryParse(code, 'module'), goal: 'module' };
  } catch (err) {
    firstError = err;
  }
  try {
    return { ok: true, ast: tryParse(code, 'script'), goal: 'script' };
  } catch (err) {
    // report the error of the goal the file claims to be in: it is the one a reader expects
    const e = (_preferred === 'module' ? firstError : err) as { message?: string; loc?: { line: number; column: number } };
    if (e instanceof RangeError) {
      return { ok: false, message: 'too deeply nested to parse (stack limit)', line: 1, column: 0 };
    }
    return {
      ok: false,
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- acorn throws SyntaxError; anything else is shown as it stringifies
      message: String(e?.message ?? e).replace(/\s*\(\d+:\d+\)$/, ''),
      line: e?.loc?.line ?? 1,
      column: e?.loc?.column ?? 0,
    };
  }
}
