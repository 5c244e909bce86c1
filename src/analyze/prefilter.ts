// The prefilter: a cheap text scan that proves a file cannot produce a finding, so the full
// parse and walk can be skipped. It must never lose recall: every detector declares the words
// without which it cannot fire (meta.triggers) and the modules whose import alone matters
// (meta.modules); a require()/import() whose specifier is not a plain string literal, and any
// other use of `require`, of the `module` object or of `this[…]`, always means a full parse. What it returns for skipped files (their static specifiers) feeds
// reachability, so import-only files cost a scan, not a parse.
import type { Detector } from './context.js';
import { normalizeModule } from './values.js';

export interface Prefilter {
  /** null: parse the file. Otherwise the file's constant import specifiers. */
  check(code: string): string[] | null;
}

// Every `require` word (also `x.require`): it must be a call with a plain string literal,
// require('x') / require("x") / require(`x`), or require.resolve(…), which loads nothing. Anything
// else — an alias (`const r = require; r(name)`), `(0, require)(x)`, `require?.(x)`,
// `require.main.require(x)`, the word in a comment — means a full parse: the evaluator follows
// those to a dynamic require (or to a network/child_process module) that no trigger word names.
// Only ASCII identifier characters extend the word, so any other neighbour counts as a boundary
// (more parses, never fewer).
const REQUIRE_RE = /(?<![A-Za-z0-9_$])require(?![A-Za-z0-9_$])/g;
const REQUIRE_CONST_RE = /^\s*\(\s*(['"`])([^'"`\\\n$]*)\1\s*\)/;
const REQUIRE_RESOLVE_RE = /^\s*\.\s*resolve\s*\(/;
const IMPORT_CALL_RE = /\bimport\s*\(/g;
const IMPORT_CONST_RE = /^\s*(['"`])([^'"`\\\n$]*)\1\s*\)/;
const STATIC_IMPORT_RE = /\b(?:from|import)\s*(['"])([^'"\\\n]+)\1/g;
// The CommonJS `module` object other than through one of its plain data properties (or
// `typeof module`): `module[k]`, `const m = module`, `module.require` reach require without the
// word `require` being a call (`module['req' + 'uire'](x)`). The bare word counts; `x.module` does not.
const MODULE_RE = /(?<![A-Za-z0-9_$.])module(?![A-Za-z0-9_$])/g;
const MODULE_SAFE_MEMBER_RE = /^\s*\.\s*(?:exports|id|filename|loaded|parent|children|paths|hot|path)(?![A-Za-z0-9_$])/;
const TYPEOF_BEFORE_RE = /\btypeof\s*$/;
// `this[k]`: at the top level of a script the evaluator takes `this` for the global object, so a
// computed key assembled from pieces (`this['pro' + 'cess']`) reaches process with no trigger word.
const THIS_COMPUTED_RE = /(?<![A-Za-z0-9_$.])this\s*\[/;
// A name assembled from string pieces (`'pro' + 'cess'`, `['ex', 'ec'].join('')`) can reach a
// sensitive object or method under no trigger word at all (`g['pro' + 'cess']` with g = this,
// `cp[k](cmd)`): such files are parsed. Minifiers fold literal concatenations, so bundles rarely
// match; hand-written messages split over lines do, and cost a parse.
const ASSEMBLED_RE = /(['"`])\s*\+\s*['"`]|\.join\(\s*(['"`])\2\s*\)/;

export function createPrefilter(detectors: readonly Detector[]): Prefilter {
  const triggers = [...new Set(detectors.flatMap((d) => d.meta.triggers))];
  const modules = new Set(detectors.flatMap((d) => d.meta.modules ?? []));
  return {
    check(code: string): string[] | null {
      for (const t of triggers) if (code.includes(t)) return null;
      if (THIS_COMPUTED_RE.test(code)) return null;
      if (ASSEMBLED_RE.test(code)) return null;
      let m: RegExpExecArray | null;
      MODULE_RE.lastIndex = 0;
      while ((m = MODULE_RE.exec(code))) {
        const after = code.slice(MODULE_RE.lastIndex, MODULE_RE.lastIndex + 40);
        if (MODULE_SAFE_MEMBER_RE.test(after)) continue;
        if (TYPEOF_BEFORE_RE.test(code.slice(Math.max(0, m.index - 12), m.index))) continue;
        return null;
      }
      const specs: string[] = [];
      REQUIRE_RE.lastIndex = 0;
      while (REQUIRE_RE.exec(code)) {
        const after = code.slice(REQUIRE_RE.lastIndex, REQUIRE_RE.lastIndex + 300);
        const call = REQUIRE_CONST_RE.exec(after);
        if (call) specs.push(call[2]);
        else if (!REQUIRE_RESOLVE_RE.test(after)) return null; // not a plain require('x'): parse
      }
      IMPORT_CALL_RE.lastIndex = 0;
      while (IMPORT_CALL_RE.exec(code)) {
        const rest = IMPORT_CONST_RE.exec(code.slice(IMPORT_CALL_RE.lastIndex, IMPORT_CALL_RE.lastIndex + 300));
        if (!rest) return null; // non-constant specifier: a dynamic-import candidate
        specs.push(rest[2]);
      }
      STATIC_IMPORT_RE.lastIndex = 0;
      while ((m = STATIC_IMPORT_RE.exec(code))) specs.push(m[2]);
      const out: string[] = [];
      for (const s of specs) {
        const mod = normalizeModule(s);
        if (modules.has(mod)) return null;
        out.push(mod);
      }
      return [...new Set(out)];
    },
  };
}
