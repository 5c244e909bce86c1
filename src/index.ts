// The programmatic API: `import { scan } from 'env-audit'`. It runs the same pipeline as
// `env-audit scan --json` (the project's policy file applied the same way) and resolves to the
// report of the contract (schema/report.schema.json), so scripts and the CLI never disagree.
import path from 'node:path';
import type { Level, Report } from './model.js';
import { loadConfig } from './policy/config.js';
import { applyPolicy } from './policy/gate.js';
import { runScan } from './scan/run-scan.js';

export type { Capability, EnvSummary, Finding, FlowEnds, Level, PackageReport, Report, ReportPolicy, RuleId, ScoreItem } from './model.js';

export interface ScanOptions {
  /** leave these packages out, as `npm --omit` does. */
  omit?: ('dev' | 'optional' | 'peer')[];
  /** audit the root project's own code too. */
  includeRoot?: boolean;
  /** the result cache folder; `null` turns the cache off (default: $XDG_CACHE_HOME/env-audit). */
  cacheDir?: string | null;
  /** worker threads (default: one per core, one for small trees; 0: the main thread). */
  jobs?: number;
  /** a policy file instead of the project's .env-audit.json or package.json "env-audit" key. */
  config?: string;
  /** the --fail-on level: sets `report.policy.failing` (default: the policy file's failOn). */
  failOn?: Level;
}

/**
 * Audit the installed npm tree in `dir` (default: the current folder). Never runs code from the
 * tree. Rejects when the tree cannot be loaded or the policy file is invalid.
 */
export async function scan(dir = '.', opts: ScanOptions = {}): Promise<Report> {
  const root = path.resolve(dir);
  const config = loadConfig(root, opts.config);
  const result = await runScan({
    root,
    omit: opts.omit ?? config.omit ?? [],
    includeRoot: opts.includeRoot,
    cacheDir: opts.cacheDir,
    workers: opts.jobs,
  });
  applyPolicy(result.report, { config, failOn: opts.failOn ?? config.failOn });
  return result.report;
}
