// Public face of the analysis stage: one file's source in, its findings out. Pure: no I/O here,
// so the worker pool, the cache and the tests all call the same function.
import type { FileJob, FileResult } from '../model.js';

/** Bump whenever analysis output can change: it is part of every cache key. */
export const ANALYZER_VERSION = '0.1.0-dev';

export function analyzeSource(code: string, job: FileJob): FileResult {
  // placeholder until the engine lands (being written now)
  return { file: job.file, findings: [], imports: [], parseError: false, bytes: Buffer.byteLength(code) };
}
