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
  const out: SimpleCommand[] = [];
  const c: Cursor = { text, i: 0, line: 1 };
  let pipeline = 0;
  let stage = 0;
  let words: string[] = [];
  let subs: string[] = [];
  let plain: boolean[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  let startLine = 1;
  let startAt = 0;

  const endWord = (): void => {
    if (inWord) {
      if (words.length === 0) {
        startLine = wordLine;
      }
      words.push(word);
      plain.push(!quoted);
    }
    word = '';
    inWord = false;
    quoted = false;
  };
  let wordLine = 1;
  const begin = (): void => {
    if (!inWord) {
      inWord = true;
      wordLine = c.line;
      if (words.length === 0) startAt = c.i;
    }
  };
  const endCommand = (pipe: boolean): void => {
    endWord();
    if (words.length) {
      const { kept, redirects } = splitRedirects(words, plain);
      const raw = text.slice(startAt, c.i).replace(/\s+/g, ' ').trim();
      if (kept.length || redirects.length) {
        out.push({ words: kept, line: startLine, pipeline, stage, redirects, substitutions: subs, text: raw.length > 200 ? raw.slice(0, 199) + '…' : raw });
      }
    }
    words = [];
    plain = [];
    subs = [];
    if (pipe) stage++;
    else {
      pipeline++;
      stage = 0;
    }
  };

  const escape = dialect === 'cmd' ? '^' : dialect === 'ps1' ? '`' : '\\';
  while (c.i < text.length) {
    const ch = text[c.i];
    const next = text[c.i + 1];
    if (ch === '\n') {
      // a line ending in an escape continues the command (handled below); otherwise it ends one
      endCommand(false);
      c.line++;
      c.i++;
      continue;
    }
    if (ch === escape && next !== undefined) {
      if (next === '\n' || (next === '\r' && text[c.i + 2] === '\n')) {
        c.i += next === '\r' ? 3 : 2;
        c.line++;
        continue;
      }
      if (!inWord) quoted = true; // only a word that starts quoted is never an operator
      begin();
      word += next;
      c.i += 2;
      continue;
    }
    if (dialect === 'ps1' && ch === '<' && next === '#') {
      const end = text.indexOf('#>', c.i + 2);
      const stop = end < 0 ? text.length : end + 2;
      c.line += countLines(text, c.i, stop);
      c.i = stop;
      continue;
    }
    if (ch === '#' && !inWord && dialect !== 'cmd') {
      skipToLineEnd(c);
      continue;
    }
    if (dialect === 'cmd' && !inWord && words.length === 0 && (/^rem(\s|$)/i.test(text.slice(c.i, c.i + 4)) || text.startsWith('::', c.i))) {
      skipToLineEnd(c);
      continue;
    }
    if (ch === "'" && dialect !== 'cmd') {
      if (!inWord) quoted = true; // only a word that starts quoted is never an operator
      begin();
      const end = text.indexOf("'", c.i + 1);
      const stop = end < 0 ? text.length : end;
      word += text.slice(c.i + 1, stop);
      c.line += countLines(text, c.i, stop);
      c.i = stop + 1;
      continue;
    }
    if (ch === '"') {
      if (!inWord) quoted = true; // only a word that starts quoted is never an operator
      begin();
      c.i++;
      word += readDouble(c, dialect, subs);
      continue;
    }
    if ((ch === '$' && next === '(') || ((ch === '<' || ch === '>') && next === '(' && dialect === 'sh')) {
      begin();
      const body = readParens(c, c.i + 1);
      subs.push(body);
      word += `${ch}(${body})`;
      continue;
    }
    if (ch === '`' && dialect === 'sh') {
      begin();
      const end = text.indexOf('`', c.i + 1);
      const stop = end < 0 ? text.length : end;
      const body = text.slice(c.i + 1, stop);
      subs.push(body);
      word += '`' + body + '`';
      c.line += countLines(text, c.i, stop);
      c.i = stop + 1;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      c.i++;
      continue;
    }
    if (ch === '&' && (word.endsWith('>') || word.endsWith('<'))) {
      word += ch; // 2>&1 is a redirection, not a background operator
      c.i++;
      continue;
    }
    if (ch === '|' && next !== '|') {
      endCommand(true);
      c.i++;
      continue;
    }
    if (ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')' || ((ch === '{' || ch === '}') && dialect === 'ps1')) {
      endCommand(false);
      c.i += (ch === '&' || ch === '|') && next === ch ? 2 : 1;
      continue;
    }
    if ((ch === '>' || ch === '<') && inWord && !/^\d*$/.test(word)) endWord(); // a>b: the redirection starts a new word
    begin();
    word += ch;
    c.i++;
  }
  endCommand(false);
  return out;
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
