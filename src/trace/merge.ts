// `scan --trace FILE`: the trace's events are matched to the report's packages (by location, else
// by name and version), each package gets its static/run-time comparison, runtime-only behaviour
// becomes hidden-access findings, and the packages that gained findings are scored again.
import fs from 'node:fs';
import path from 'node:path';
import type { PackageReport, PackageUnit, Report } from '../model.js';
import { compareReports, scorePackage, summarize } from '../risk/score.js';
import { escapeUntrusted } from '../report/escape.js';
import { readSource } from '../scan/read-source.js';
import { comparePackage, hiddenFinding } from './compare.js';
import type { Trace, TraceEvent } from './read.js';

const SNIPPET_MAX = 160;
const SNIPPET_FILE_MAX = 4 * 1024 * 1024;
const NOT_IN_REPORT_MAX = 20;

/** The source line a run-time call site points at, when it is a file inside the package folder. */
function snippetReader(pkgDir: string): (file: string, line: number) => string {
  return (file, line) => {
    const abs = path.resolve(pkgDir, file);
    const rel = path.relative(pkgDir, abs);
    // the trace is untrusted: never quote a file outside the package
    if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep).includes('node_modules')) return '';
    try {
      if (!fs.realpathSync(abs).startsWith(fs.realpathSync(pkgDir) + path.sep)) return '';
    } catch {
      return '';
    }
    const src = readSource(abs, SNIPPET_FILE_MAX);
    if (!('code' in src)) return '';
    const text = src.code.split(/\r\n|[\n\r\u2028\u2029]/)[line - 1] ?? '';
    return escapeUntrusted(text.trim()).slice(0, SNIPPET_MAX);
  };
}

function unitOf(pkg: PackageReport, root: string): PackageUnit {
  return {
    name: pkg.name, version: pkg.version, location: pkg.location, path: path.join(root, pkg.location),
    dev: pkg.dev, optional: pkg.optional, peer: pkg.peer, isRoot: pkg.location === '', isWorkspace: false, isLink: false,
    integrity: pkg.integrity ?? null, paths: pkg.paths, pkg: {}, warnings: pkg.warnings ?? [],
  };
}

/** Events per report package; the rest are the project's own or belong to packages the report does not list. */
function matchEvents(report: Report, events: readonly TraceEvent[]): { byPkg: Map<PackageReport, TraceEvent[]>; project: TraceEvent[]; unmatched: Set<string> } {
  const byLocation = new Map(report.packages.map((p) => [p.location, p]));
  const byNameVersion = new Map<string, PackageReport | null>();
  for (const p of report.packages) {
    const k = `${p.name}@${p.version}`;
    byNameVersion.set(k, byNameVersion.has(k) ? null : p); // ambiguous: two installs of one version
  }
  const byPkg = new Map<PackageReport, TraceEvent[]>();
  const project: TraceEvent[] = [];
  const unmatched = new Set<string>();
  for (const e of events) {
    const pkg = byLocation.get(e.location) ?? (e.package !== null && e.version ? byNameVersion.get(`${e.package}@${e.version}`) : undefined);
    if (pkg) {
      const list = byPkg.get(pkg) ?? [];
      list.push(e);
      byPkg.set(pkg, list);
    } else if (e.package === null) project.push(e);
    else unmatched.add(`${e.package}@${e.location}`);
  }
  return { byPkg, project, unmatched };
}

export function mergeTrace(report: Report, trace: Trace, opts: { file: string; root: string }): void {
  const { byPkg, project, unmatched } = matchEvents(report, trace.events);
  report.packages = report.packages.map((pkg) => {
    const { trace: pt, hidden } = comparePackage(pkg, byPkg.get(pkg) ?? []);
    if (hidden.length === 0) return { ...pkg, trace: pt };
    const pkgDir = path.join(opts.root, pkg.location);
    const findings = [...pkg.findings, ...hidden.map((h) => hiddenFinding(h, snippetReader(pkgDir)))];
    // merged before the policy is applied, so only the scan's own extras need carrying over
    const rescored: PackageReport = { ...scorePackage(unitOf(pkg, opts.root), findings), trace: pt };
    if (pkg.files !== undefined) rescored.files = pkg.files;
    if (pkg.bytes !== undefined) rescored.bytes = pkg.bytes;
    return rescored;
  });
  report.packages.sort(compareReports);
  report.summary.byLevel = summarize(report.packages).byLevel;
  report.trace = {
    file: opts.file,
    processes: trace.processes,
    invalidLines: trace.invalidLines,
    packagesSeen: report.packages.filter((p) => p.trace?.seen).length,
    notInReport: [...unmatched].sort().slice(0, NOT_IN_REPORT_MAX),
    projectReads: [...new Set(project.filter((e) => e.kind === 'env-read').map((e) => e.name))].sort(),
  };
}
