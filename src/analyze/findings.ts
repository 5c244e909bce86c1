// Where a file's findings are collected: positions and snippets added, duplicates dropped, at most
// MAX_PER_RULE per rule (a 10 MB bundle must not make a 1 GB report). Findings are built from a
// rule's record: the detail is the messageId's template filled with the data.
import type { FileJob, Finding, FindingData, RuleId } from '../model.js';
import { message } from '../rules/index.js';
import type { AstNode } from './ast.js';
import type { ReportExtra } from './context.js';
import type { LineIndex } from './lines.js';

const MAX_PER_RULE = 50;
/** Past MAX_PER_RULE, findings of a name (env-read `data.name`) the file has not reported yet, up to this many. */
const MAX_NAMES_PER_RULE = 1000;

export class FindingCollector {
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();
  private readonly perRule = new Map<string, number>();
  private readonly namesByRule = new Map<string, Set<string>>();
  /** while set, reports go here instead (an exported env-reader's own read: see env-events.ts). */
  private deferred: Finding[] | null = null;

  constructor(
    private readonly job: FileJob,
    private readonly lines: LineIndex,
  ) {}

  add(rule: RuleId, at: AstNode | number, messageId: string, data: FindingData = {}, extra?: ReportExtra): void {
    const offset = typeof at === 'number' ? at : at.start;
    const { line, column } = this.lines.position(offset);
    const { detail } = message(rule, messageId, data);
    const finding: Finding = { rule, file: this.job.file, line, column, detail, snippet: this.lines.snippet(offset), messageId, data };
    if (extra?.message !== undefined) finding.message = extra.message;
    if (extra?.flow !== undefined) finding.flow = extra.flow;
    if (extra?.technique !== undefined) finding.technique = extra.technique;
    if (this.deferred) {
      this.deferred.push(finding);
      return;
    }
    const key = `${rule}\0${line}\0${column}\0${detail}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const n = this.perRule.get(rule) ?? 0;
    const fresh = this.newName(rule, data);
    if (n >= MAX_PER_RULE && !fresh) return;
    this.perRule.set(rule, n + 1);
    this.findings.push(finding);
  }

  /**
   * Past the per-rule cap, a name not yet reported in this file still is (std-env's 60 provider
   * variables in one file): distinct names are what the report lists, repeats what blow it up.
   */
  private newName(rule: string, data: FindingData): boolean {
    const name = data.name;
    if (typeof name !== 'string') return false;
    let names = this.namesByRule.get(rule);
    if (!names) this.namesByRule.set(rule, (names = new Set()));
    if (names.has(name) || names.size >= MAX_NAMES_PER_RULE) return false;
    names.add(name);
    return true;
  }

  /** Run `fn` with its reports collected into a list of their own, which is returned (nests). */
  collectApart(fn: () => void): Finding[] {
    const out: Finding[] = [];
    const saved = this.deferred;
    this.deferred = out;
    try {
      fn();
    } finally {
      this.deferred = saved;
    }
    return out;
  }

  /** true while reports are being collected apart. */
  get collecting(): boolean {
    return this.deferred !== null;
  }

  /** A detector that failed on this file: a parse-error finding, so the package is never clean. */
  detectorFailed(detector: string, reason: string): void {
    const data = { detector, file: this.job.file, reason };
    this.findings.push({ ...message('parse-error', 'detectorFailed', data), file: this.job.file, line: 1, column: 0, snippet: '' });
  }
}
