// The prefilter: a cheap text scan that proves a file cannot produce a finding, so the full
// parse and walk can be skipped. It must never lose recall: every detector declares the words
// without which it cannot fire (meta.triggers) and the modules whose import alone matters
// (meta.modules); a require()/import() whose specifier is not a plain string literal always
// means a full parse. What it returns for skipped files (their static specifiers) feeds
// reachability, so import-only files cost a scan, not a parse.
import type { Detector } from './context.js';
import { normalizeModule } from './values.js';

export interface Prefilter {
  /** null: parse the file. Otherwise the file's constant import specifiers. */
  check(code: string): string[] | null;
}

// require('x') / require("x") / require(`x`) with nothing else inside the parentheses
const REQUIRE_RE = /\brequire\s*\(/g;
const REQUIRE_CONST_RE = /^\s*(['"`])([^'"`\\\n$]*)\1\s*\)/;
const IMPORT_CALL_RE = /\bimport\s*\(/g;
const STATIC_IMPORT_RE = /\b(?:from|import)\s*(['"])([^'"\\\n]+)\1/g;

export function createPrefilter(detectors: readonly Detector[]): Prefilter {
  const triggers = [...new Set(detectors.flatMap((d) => d.meta.triggers))];
  const modules = new Set(detectors.flatMap((d) => d.meta.modules ?? []));
  return {
    check(code: string): string[] | null {
      for (const t of triggers) if (code.includes(t)) return null;
      const specs: string[] = [];
      for (const re of [REQUIRE_RE, IMPORT_CALL_RE]) {
        re.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = re.exec(code))) {
          const rest = REQUIRE_CONST_RE.exec(code.slice(re.lastIndex, re.lastIndex + 300));
          if (!rest) return null; // non-constant specifier: a dynamic-require candidate
          specs.push(rest[2]);
        }
      }
      STATIC_IMPORT_RE.lastIndex = 0;
      let m: RegExpExecArray | null;
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
