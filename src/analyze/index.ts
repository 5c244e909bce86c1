// Public face of the analysis stage: one file's source in, its findings out. Pure: no I/O here,
// so the worker pool, the cache and the tests all call the same function.
import type { FileJob, FileResult } from '../model.js';
import { message } from '../rules/index.js';
import type { Detector } from './context.js';
import { DETECTORS } from './detectors/index.js';
import { runDetectors } from './engine.js';
import { LineIndex } from './lines.js';
import { parseSource } from './parse.js';
import { createPrefilter } from './prefilter.js';
import { buildScopes } from './scope.js';
import { embeddedCodeOf } from './detectors/obfuscation.js';
import { analyzeEmbedded, embeddedBudget, type EmbeddedCode } from './embedded/virtual-file.js';
import { withEmbeddedQueue } from './embedded/queue.js';
import { walkAst } from './walk.js';
import type { AstNode } from './ast.js';
import type { Finding } from '../model.js';

/** Bump whenever analysis output can change: it is part of every cache key. */
export const ANALYZER_VERSION = '0.3.3';

const defaultPrefilter = createPrefilter(DETECTORS);

export interface AnalyzeOptions {
  detectors?: readonly Detector[];
  /** false: always parse (the prefilter's own tests compare both ways). */
  prefilter?: boolean;
  /** the package's JSON files the code names (package-relative path → text; scan/data-files.ts). */
  data?: ReadonlyMap<string, string>;
}

export function analyzeSource(code: string, job: FileJob, opts: AnalyzeOptions = {}): FileResult {
  const bytes = job.size || Buffer.byteLength(code);
  const detectors = opts.detectors ?? DETECTORS;
  if (opts.prefilter !== false) {
    const pf = detectors === DETECTORS ? defaultPrefilter : createPrefilter(detectors);
    const imports = pf.check(code);
    if (imports) return { file: job.file, findings: [], imports, parseError: false, bytes, prefiltered: true };
  }
  const parsed = parseSource(code, job.sourceType);
  if (!parsed.ok) {
    const lines = new LineIndex(code);
    const offset = 0;
    return {
      file: job.file,
      findings: [{
        ...message('parse-error', 'syntax', { message: parsed.message }),
        file: job.file,
        line: parsed.line,
        column: parsed.column,
        snippet: parsed.line === 1 && parsed.column === 0 ? lines.snippet(offset) : '',
      }],
      imports: [],
      parseError: true,
      bytes,
    };
  }
  let run: { value: ReturnType<typeof runDetectors>; pieces: EmbeddedCode[] };
  try {
    const scopes = buildScopes(parsed.ast);
    run = withEmbeddedQueue(() => runDetectors(parsed.ast, code, job, scopes, detectors, opts.data));
  } catch (err) {
    // acorn parses deeper than our walks can recurse (a 5,000-deep member chain): the file is
    // reported, never fatal — the pool gives workers a big stack, so this is rare
    if (!(err instanceof RangeError)) throw err;
    return {
      file: job.file,
      findings: [{ ...message('parse-error', 'tooDeep'), file: job.file, line: 1, column: 0, snippet: '' }],
      imports: [],
      parseError: true,
      bytes,
    };
  }
  const out = run.value;
  const findings = embedDecoded(parsed.ast, code, job, out.findings);
  if (run.pieces.length) findings.push(...embedQueued(run.pieces, job));
  return {
    file: job.file,
    findings,
    imports: out.imports,
    // a detector that failed leaves the file partly analysed: counted like a parse error (fail closed)
    parseError: out.failed.length > 0,
    bytes,
    ...(out.envReaders.length ? { envReaders: out.envReaders } : {}),
    ...(out.importedCalls.length ? { importedCalls: out.importedCalls } : {}),
    ...(Object.keys(out.summary).length ? { summary: out.summary } : {}),
  };
}

/** How many embedded layers the analysis is inside (analysis is synchronous, so a counter is the stack). */
let embedDepth = 0;

/**
 * Encoded constants that decode to code (an SDK's worker script, a dropper's payload) are analysed
 * as embedded virtual files (`index.js#embedded@9`): their findings join the file, marked hidden,
 * and the obfuscation finding names the virtual file, so the hiding weighs by what the code does.
 */
function embedDecoded(ast: AstNode, code: string, job: FileJob, findings: Finding[]): Finding[] {
  const encoded = findings.filter((f) => f.rule === 'obfuscation' && f.messageId === 'encodedPayload');
  if (encoded.length === 0) return findings;
  const lines = new LineIndex(code);
  const wanted = new Map(encoded.map((f) => [`${f.line}:${f.column}`, f]));
  const budget = embeddedBudget();
  const extra: Finding[] = [];
  walkAst(ast, {
    enter(node) {
      if (node.type !== 'Literal' || typeof node.value !== 'string') return;
      const pos = lines.position(node.start);
      const f = wanted.get(`${pos.line}:${pos.column}`);
      const decoded = f ? embeddedCodeOf(node.value) : null;
      if (!f || !decoded) return;
      wanted.delete(`${pos.line}:${pos.column}`);
      const path = `${job.file}#embedded@${pos.line}`;
      embedDepth++;
      try {
        const r = analyzeEmbedded(
          { path, code: decoded.code, origin: `constant decoded from ${decoded.encoding} at ${job.file}:${pos.line}`, hidden: true, depth: embedDepth },
          job.packageName,
          budget,
        );
        extra.push(...r.findings);
        if (!r.parseError) f.embeddedAs = path;
      } finally {
        embedDepth--;
      }
    },
  });
  return extra.length ? [...findings, ...extra] : findings;
}

/** Pieces the detectors queued (`node -e` text in an exec string, a data: import), analysed one layer deeper. */
function embedQueued(pieces: EmbeddedCode[], job: FileJob): Finding[] {
  const budget = embeddedBudget();
  const out: Finding[] = [];
  embedDepth++;
  try {
    for (const p of pieces) out.push(...analyzeEmbedded({ ...p, depth: embedDepth }, job.packageName, budget).findings);
  } finally {
    embedDepth--;
  }
  return out;
}
