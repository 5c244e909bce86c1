// Command lines and script files as words: the part of the POSIX shell, cmd.exe and PowerShell
// grammars an install script needs — quoting and escapes, the operators that separate commands
// (; && || & | newline, parentheses and braces), pipelines, redirections with their targets,
// comments, and command substitutions ($(…), `…`, <(…)), whose bodies are kept so they can be read
// as commands of their own.
//
// Own parser, not shell-quote: shell-quote joins lines ("a\nb" is one command), splits `2>&1` into
// a word and an operator, and tears an unquoted `$(curl … | sh)` into operators — every one of which
// changes what an install script is read to do. Nothing here expands or runs anything.

export type Dialect = 'sh' | 'cmd' | 'ps1';

interface Redirect {
  op: string;
  target: string;
}

export interface SimpleCommand {
  words: string[];
  /** 1-based line of the command's first word in the parsed text. */
  line: number;
  /** commands joined by `|` share a pipeline number; stage is the position in it (0 = first). */
  pipeline: number;
  stage: number;
  redirects: Redirect[];
  /** bodies of $(…), `…`, <(…), >(…) in this command, in order. */
  substitutions: string[];
  /** the command as written, whitespace collapsed, at most 200 characters. */
  text: string;
}

/** Longer scripts are read up to this many characters: an install script is a few lines. */
const MAX_SCRIPT_CHARS = 256 * 1024;

const REDIRECT = /^(\d*|&)(>>?|<<?<?|>\||<>)(&\d*-?)?$/;

interface Cursor {
  text: string;
  i: number;
  line: number;
}

/** Split a script into simple commands, in order. Never throws; unbalanced quotes end at the end. */
export function parseScript(source: string, dialect: Dialect = 'sh'): SimpleCommand[] {
  const text = source.length > MAX_SCRIPT_CHARS ? source.slice(0, MAX_SCRIPT_CHARS) : source;
  return new ScriptParser(text, dialect).parse();
}

/** The parser's state: the command and word being built, and where they started. */
class ScriptParser {
  private readonly out: SimpleCommand[] = [];
  private readonly c: Cursor;
  private readonly escape: string;
  private pipeline = 0;
  private stage = 0;
  private words: string[] = [];
  private subs: string[] = [];
  private plain: boolean[] = [];
  private word = '';
  private inWord = false;
  private quoted = false;
  private startLine = 1;
  private startAt = 0;
  private wordLine = 1;

  constructor(
    private readonly text: string,
    private readonly dialect: Dialect,
  ) {
    this.c = { text, i: 0, line: 1 };
    this.escape = dialect === 'cmd' ? '^' : dialect === 'ps1' ? '`' : '\\';
  }

  parse(): SimpleCommand[] {
    const { c, text } = this;
    while (c.i < text.length) {
      const ch = text[c.i];
      const next = text[c.i + 1];
      if (this.lineOrEscape(ch, next) || this.comment(ch, next) || this.quote(ch) || this.substitution(ch, next) || this.operator(ch, next)) continue;
      if ((ch === '>' || ch === '<') && this.inWord && !/^\d*$/.test(this.word)) this.endWord(); // a>b: the redirection starts a new word
      this.begin();
      this.word += ch;
      c.i++;
    }
    this.endCommand(false);
    return this.out;
  }

  private endWord(): void {
    if (this.inWord) {
      if (this.words.length === 0) this.startLine = this.wordLine;
      this.words.push(this.word);
      this.plain.push(!this.quoted);
    }
    this.word = '';
    this.inWord = false;
    this.quoted = false;
  }

  private begin(): void {
    if (this.inWord) return;
    this.inWord = true;
    this.wordLine = this.c.line;
    if (this.words.length === 0) this.startAt = this.c.i;
  }

  /** Start a word that begins quoted (only such a word is never an operator). */
  private beginQuoted(): void {
    if (!this.inWord) this.quoted = true;
    this.begin();
  }

  private endCommand(pipe: boolean): void {
    this.endWord();
    if (this.words.length) {
      const { kept, redirects } = splitRedirects(this.words, this.plain);
      const raw = this.text.slice(this.startAt, this.c.i).replace(/\s+/g, ' ').trim();
      if (kept.length || redirects.length) {
        this.out.push({ words: kept, line: this.startLine, pipeline: this.pipeline, stage: this.stage, redirects, substitutions: this.subs, text: raw.length > 200 ? raw.slice(0, 199) + '…' : raw });
      }
    }
    this.words = [];
    this.plain = [];
    this.subs = [];
    if (pipe) this.stage++;
    else {
      this.pipeline++;
      this.stage = 0;
    }
  }

  /** A newline ends a command; an escaped one continues it; an escape makes the next character literal. */
  private lineOrEscape(ch: string, next: string | undefined): boolean {
    const { c, text } = this;
    if (ch === '\n') {
      this.endCommand(false);
      c.line++;
      c.i++;
      return true;
    }
    if (ch !== this.escape || next === undefined) return false;
    if (next === '\n' || (next === '\r' && text[c.i + 2] === '\n')) {
      c.i += next === '\r' ? 3 : 2;
      c.line++;
      return true;
    }
    this.beginQuoted();
    this.word += next;
    c.i += 2;
    return true;
  }

  /** `# …` (sh, ps1), `<# … #>` (ps1), `rem …` and `:: …` (cmd). */
  private comment(ch: string, next: string | undefined): boolean {
    const { c, text, dialect } = this;
    if (dialect === 'ps1' && ch === '<' && next === '#') {
      const end = text.indexOf('#>', c.i + 2);
      const stop = end < 0 ? text.length : end + 2;
      c.line += countLines(text, c.i, stop);
      c.i = stop;
      return true;
    }
    const cmdRemark = dialect === 'cmd' && !this.inWord && this.words.length === 0 && (/^rem(\s|$)/i.test(text.slice(c.i, c.i + 4)) || text.startsWith('::', c.i));
    if ((ch === '#' && !this.inWord && dialect !== 'cmd') || cmdRemark) {
      skipToLineEnd(c);
      return true;
    }
    return false;
  }

  private quote(ch: string): boolean {
    const { c, text } = this;
    if (ch === "'" && this.dialect !== 'cmd') {
      this.beginQuoted();
      const end = text.indexOf("'", c.i + 1);
      const stop = end < 0 ? text.length : end;
      this.word += text.slice(c.i + 1, stop);
      c.line += countLines(text, c.i, stop);
      c.i = stop + 1;
      return true;
    }
    if (ch === '"') {
      this.beginQuoted();
      c.i++;
      this.word += readDouble(c, this.dialect, this.subs);
      return true;
    }
    return false;
  }

  /** $(…), <(…), >(…) and `…`: the body is kept to be read as commands of its own. */
  private substitution(ch: string, next: string | undefined): boolean {
    const { c, text } = this;
    if ((ch === '$' && next === '(') || ((ch === '<' || ch === '>') && next === '(' && this.dialect === 'sh')) {
      this.begin();
      const body = readParens(c, c.i + 1);
      this.subs.push(body);
      this.word += `${ch}(${body})`;
      return true;
    }
    if (ch === '`' && this.dialect === 'sh') {
      this.begin();
      const end = text.indexOf('`', c.i + 1);
      const stop = end < 0 ? text.length : end;
      const body = text.slice(c.i + 1, stop);
      this.subs.push(body);
      this.word += '`' + body + '`';
      c.line += countLines(text, c.i, stop);
      c.i = stop + 1;
      return true;
    }
    return false;
  }

  /** Blanks end a word; `|` starts the next stage of a pipeline; ; && || & ( ) (and ps1 braces) end a command. */
  private operator(ch: string, next: string | undefined): boolean {
    const { c } = this;
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      this.endWord();
      c.i++;
      return true;
    }
    if (ch === '&' && (this.word.endsWith('>') || this.word.endsWith('<'))) {
      this.word += ch; // 2>&1 is a redirection, not a background operator
      c.i++;
      return true;
    }
    if (ch === '|' && next !== '|') {
      this.endCommand(true);
      c.i++;
      return true;
    }
    if (ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')' || ((ch === '{' || ch === '}') && this.dialect === 'ps1')) {
      this.endCommand(false);
      c.i += (ch === '&' || ch === '|') && next === ch ? 2 : 1;
      return true;
    }
    return false;
  }
}

function skipToLineEnd(c: Cursor): void {
  const end = c.text.indexOf('\n', c.i);
  c.i = end < 0 ? c.text.length : end;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let k = text.indexOf('\n', from); k >= 0 && k < to; k = text.indexOf('\n', k + 1)) n++;
  return n;
}

/** The inside of a double-quoted string (cursor just after the quote); substitutions recorded. */
function readDouble(c: Cursor, dialect: Dialect, subs: string[]): string {
  const { text } = c;
  let out = '';
  const escape = dialect === 'ps1' ? '`' : dialect === 'sh' ? '\\' : null;
  while (c.i < text.length && text[c.i] !== '"') {
    const ch = text[c.i];
    if (escape && ch === escape && c.i + 1 < text.length) {
      const n = text[c.i + 1];
      if (n === '\n') c.line++;
      // in sh only \" \\ \$ \` and newline are escapes inside double quotes
      out += dialect === 'sh' && !'"\\$`\n'.includes(n) ? ch + n : n === '\n' ? '' : n;
      c.i += 2;
      continue;
    }
    if (ch === '$' && text[c.i + 1] === '(' && dialect !== 'cmd') {
      const body = readParens(c, c.i + 1);
      subs.push(body);
      out += `$(${body})`;
      continue;
    }
    if (ch === '`' && dialect === 'sh') {
      const end = text.indexOf('`', c.i + 1);
      const stop = end < 0 ? text.length : end;
      const body = text.slice(c.i + 1, stop);
      subs.push(body);
      out += '`' + body + '`';
      c.line += countLines(text, c.i, stop);
      c.i = stop + 1;
      continue;
    }
    if (ch === '\n') c.line++;
    out += ch;
    c.i++;
  }
  c.i++; // the closing quote
  return out;
}

/** Text between the parenthesis at `open` and its match (quotes honoured); cursor after the match. */
function readParens(c: Cursor, open: number): string {
  const { text } = c;
  let depth = 0;
  let k = open;
  for (; k < text.length; k++) {
    const ch = text[k];
    if (ch === '\\') {
      k++;
    } else if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, k + 1);
      k = end < 0 ? text.length : end;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) break;
  }
  const body = text.slice(open + 1, Math.min(k, text.length));
  c.line += countLines(text, c.i, k);
  c.i = Math.min(k + 1, text.length);
  return body;
}

/** Redirections (`> f`, `2>&1`, `>>log`, `< in`) out of the word list, with their targets. */
function splitRedirects(words: string[], plain: boolean[]): { kept: string[]; redirects: Redirect[] } {
  const kept: string[] = [];
  const redirects: Redirect[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    // a word that starts quoted is never an operator: node -e ">1" keeps its code
    const m = plain[i] ? /^(\d*|&)(>>?|<<?<?|>\||<>)(&\d*-?)?(.*)$/.exec(w) : null;
    if (!m) {
      kept.push(w);
      continue;
    }
    if (m[3]) continue; // 2>&1: a descriptor, no file
    let target = m[4];
    if (target === '' && REDIRECT.test(w)) target = words[++i] ?? '';
    redirects.push({ op: m[2], target });
  }
  return { kept, redirects };
}
