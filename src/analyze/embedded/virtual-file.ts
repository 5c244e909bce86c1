// Embedded code as virtual files: a piece of JavaScript that is not a file of the package on disk —
// the text after `node -e` in an install script, a constant that decodes to code, a payload read
// from a data file — analysed by the normal analyser under a virtual path (`package.json#scripts.
// postinstall`, `index.js#embedded@9`), with its origin and marks carried into every finding:
// hidden (decoded or read from data: a reader of the package's files does not see it) and
// install-time. Budgets bound the work: a piece over the size budget, or nested deeper than the
// depth budget, is reported as not analysed (fail closed), never skipped in silence.
import { message } from '../../rules/index.js';
import type { FileResult, Finding, SourceType } from '../../model.js';
import { analyzeSource } from '../index.js';

export interface EmbeddedCode {
  /** virtual path: the host file, '#', and where in it (`package.json#scripts.postinstall`). */
  path: string;
  code: string;
  /** how the code is reached, for messages: "code after node -e in scripts.postinstall". */
  origin: string;
  sourceType?: SourceType;
  /** decoded, concealed or read from a data file: not visible to someone reading the source. */
  hidden?: boolean;
  /** runs when the package is installed. */
  installTime?: boolean;
  /** how many embedded layers lie around this one (0 = found in a real file). */
  depth?: number;
}

/** Shared by every piece found in one package (or one host file): the total work allowed. */
export interface EmbeddedBudget {
  maxDepth: number;
  maxPieceBytes: number;
  bytesLeft: number;
}

export function embeddedBudget(totalBytes = 2 * 1024 * 1024, maxPieceBytes = 512 * 1024, maxDepth = 3): EmbeddedBudget {
  return { maxDepth, maxPieceBytes, bytesLeft: totalBytes };
}

/**
 * Analyse one piece as a file of `packageName`. Findings carry the virtual path, the marks and the
 * origin; imports are those of the piece (relative ones resolve against the package root).
 */
export function analyzeEmbedded(piece: EmbeddedCode, packageName: string, budget: EmbeddedBudget): FileResult {
  const bytes = Buffer.byteLength(piece.code);
  const over =
    (piece.depth ?? 0) > budget.maxDepth ? `nested ${piece.depth} layers deep (limit ${budget.maxDepth})`
    : bytes > budget.maxPieceBytes ? `${bytes} bytes (limit ${budget.maxPieceBytes} for one piece)`
    : bytes > budget.bytesLeft ? 'the package\'s embedded-code budget is spent'
    : null;
  if (over) {
    const f: Finding = { ...message('parse-error', 'embeddedSkipped', { reason: over }), file: piece.path, line: 1, column: 0, snippet: '' };
    return { file: piece.path, findings: [mark(f, piece)], imports: [], parseError: true, bytes };
  }
  budget.bytesLeft -= bytes;
  const result = analyzeSource(piece.code, {
    absPath: '',
    file: piece.path,
    sourceType: piece.sourceType ?? 'commonjs',
    packageName,
    size: bytes,
  });
  return { ...result, findings: result.findings.map((f) => mark(f, piece)) };
}

function mark(f: Finding, piece: EmbeddedCode): Finding {
  const out: Finding = { ...f, origin: piece.origin };
  if (piece.hidden) out.hidden = true;
  if (piece.installTime) out.installTime = true;
  if (out.message) out.message = `${out.message} (${piece.origin})`;
  return out;
}

/** The real file a virtual path is embedded in: `lib/x.js#embedded@9#embedded@2` → `lib/x.js`. */
export function hostFile(file: string): string {
  return file.replace(/(?:#(?:embedded@[\d.]+|data:[^#]*))+$/, '');
}
