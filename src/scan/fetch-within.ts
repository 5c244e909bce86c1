// Downloads with a deadline (--fetch-timeout). npm's fetcher waits 5 minutes per attempt and
// retries, so a registry that accepts connections and never answers took 333 s to fail.
import './preload.js'; // before pacote loads
import pacote from 'pacote';
import type { NpmOptions } from './lockfile.js';

/** --fetch-timeout's default: long enough for a big tarball on a slow link, short enough for CI. */
export const DEFAULT_FETCH_TIMEOUT_MS = 60_000;

/**
 * pacote.extract with a deadline: npm's fetcher waits 5 minutes per attempt and retries (a stalled
 * registry took 333 s to fail); the signal bounds the whole fetch, retries included.
 */
export async function extractWithin(spec: string, dest: string, opts: NpmOptions, timeoutMs: number): Promise<void> {
  try {
    await pacote.extract(spec, dest, { ...opts, timeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as { name?: string; type?: string; code?: string };
    if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.type === 'request-timeout' || e?.type === 'aborted') {
      throw new FetchTimeoutError(`the registry did not deliver ${spec} within ${+(timeoutMs / 1000).toFixed(3)} s (--fetch-timeout)`);
    }
    throw err;
  }
}

export class FetchTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchTimeoutError';
  }
}
