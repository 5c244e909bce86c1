// How the Markdown tests read a rendered comment: every marked token, and the only raw HTML our
// Markdown is allowed to contain. Shared by the report, policy and hostile-input tests.
import type { Token, Tokens } from 'marked';

/** Every token, depth first, whatever it is nested in (list items, table cells, emphasis). */
export function allTokens(tokens: Token[]): Token[] {
  const out: Token[] = [];
  const visit = (t: Token) => {
    out.push(t);
    const any = t as Token & { tokens?: Token[]; items?: Token[]; header?: Tokens.TableCell[]; rows?: Tokens.TableCell[][] };
    any.tokens?.forEach(visit);
    any.items?.forEach(visit);
    any.header?.forEach((c) => c.tokens.forEach(visit));
    any.rows?.forEach((r) => r.forEach((c) => c.tokens.forEach(visit)));
  };
  tokens.forEach(visit);
  return out;
}

/** The only raw HTML our Markdown has: the <details>/<summary> around each package. */
export const OUR_HTML = /^(<details><summary><code>[^<>]*<\/code> · (critical|high|medium|low|none) · score \d+<\/summary>|<\/details>)\s*$/;
