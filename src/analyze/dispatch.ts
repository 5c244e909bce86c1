// Running the detectors of one file: each detector's visitors are indexed by key (AST node type or
// engine event), so dispatch is one map lookup. A detector that throws is recorded as failed on the
// file and not called again; the others go on (fail closed: the failure is a finding). The engine's
// own services (the call graph) are registered first and are not isolated: their failure is the file's.
import type { FindingData } from '../model.js';
import type { AstNode } from './ast.js';
import type { Detector, DetectorVisitors, FileContext, ReportExtra } from './context.js';
import type { FindingCollector } from './findings.js';

type Visitor = (arg: never) => void;

/** First line of a thrown value's message, capped: enough to recognise it, too short to carry source. */
function errorText(err: unknown): string {
  let msg: string;
  try {
    msg = err instanceof Error ? `${err.name === 'Error' ? '' : err.name + ': '}${err.message}` : String(err);
  } catch {
    msg = 'unknown error';
  }
  msg = (msg.split('\n', 1)[0] ?? '').trim();
  return (msg.length > 160 ? msg.slice(0, 157) + '...' : msg) || 'unknown error';
}

export class Dispatcher {
  private readonly byKey = new Map<string, { d: number; fn: Visitor }[]>();
  private readonly dead = new Set<number>();
  /** the rule ids of the detectors that failed on this file. */
  readonly failed: string[] = [];

  constructor(
    private readonly detectors: readonly Detector[],
    private readonly collector: FindingCollector,
  ) {}

  /** Visitors of an engine service (index -1): called before any detector's for the same key. */
  addService(visitors: Record<string, Visitor>): void {
    for (const [key, fn] of Object.entries(visitors)) this.add(-1, key, fn);
  }

  /** Create every detector with its own context: `report` bound to the detector's rules. */
  createDetectors(shared: FileContext): void {
    this.detectors.forEach((det, d) => {
      const own = det.meta.rules;
      const collector = this.collector;
      const ctx = Object.create(shared, {
        report: {
          value(at: AstNode | number, messageId: string, data?: FindingData, extra?: ReportExtra): void {
            const rule = extra?.rule ?? own[0];
            if (!own.includes(rule)) throw new Error(`a detector of ${own.join(', ')} reported ${rule}`);
            collector.add(rule, at, messageId, data, extra);
          },
        },
      }) as FileContext;
      let visitors: DetectorVisitors;
      try {
        visitors = det.create(ctx);
      } catch (err) {
        this.fail(d, err);
        return;
      }
      for (const [key, fn] of Object.entries(visitors)) if (fn) this.add(d, key, fn);
    });
  }

  /** While set, events reach only the env-* detectors (a hypothetical env: see env-events.ts). */
  envOnly = false;

  emit(key: string, arg: unknown): void {
    const list = this.byKey.get(key);
    if (!list) return;
    for (const { d, fn } of list) {
      if (this.dead.has(d)) continue;
      if (this.envOnly && d >= 0 && !this.detectors[d].meta.rules.some((r) => r.startsWith('env-'))) continue;
      try {
        fn(arg as never);
      } catch (err) {
        this.fail(d, err);
      }
    }
  }

  /** Record the failures as findings (after the walk, so they come last). */
  reportFailures(): void {
    for (const f of this.failures) this.collector.detectorFailed(f.id, f.reason);
  }

  private readonly failures: { id: string; reason: string }[] = [];

  private add(d: number, key: string, fn: Visitor): void {
    const list = this.byKey.get(key) ?? [];
    list.push({ d, fn });
    this.byKey.set(key, list);
  }

  private fail(d: number, err: unknown): void {
    // the stack limit is the whole file's problem (too deeply nested), reported as such upstream
    if (err instanceof RangeError || d < 0) throw err;
    this.dead.add(d);
    const id = this.detectors[d].meta.rules[0];
    this.failed.push(id);
    this.failures.push({ id, reason: errorText(err) });
  }
}
