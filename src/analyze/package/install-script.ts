// install-script: lifecycle scripts that npm runs on install (preinstall, install, postinstall;
// prepare for git dependencies) and the implicit `node-gyp rebuild` of a binding.gyp — and what they
// do, read as code (install-reading.ts): the commands' techniques become findings of the ordinary
// rules, marked install-time, and code given to `node -e` is analysed as a virtual file. The files
// those commands run are the package's install-time entry points (see files/entry-points.ts).
import type { Finding, PackageUnit } from '../../model.js';
import type { InstallScript } from '../../files/entry-points.js';
import { escapeUntrusted } from '../../report/escape.js';
import { normalizeRel, resolveFile } from '../../files/paths.js';
import { analyzeEmbedded, embeddedBudget, type EmbeddedBudget } from '../embedded/virtual-file.js';
import { readInstallCommand, startedFile, type InstallReading, type LocatedFact } from './install-reading.js';
import { message } from '../../rules/index.js';

/** Where `"event":` appears in package.json text, for a line number a reviewer can jump to. */
function lineOf(pkgText: string | null, event: string): { line: number; column: number } {
  if (!pkgText) return { line: 1, column: 0 };
  const idx = pkgText.indexOf(`"${event}"`);
  if (idx < 0) return { line: 1, column: 0 };
  const before = pkgText.slice(0, idx);
  const line = before.split('\n').length;
  return { line, column: idx - before.lastIndexOf('\n') - 1 };
}

export interface InstallTimeFindings {
  findings: Finding[];
  /** package files that code given on a command line (`node -e "require('./x')"`) loads, resolved. */
  roots: string[];
}

export function installScriptFindings(unit: PackageUnit, scripts: InstallScript[], pkgText: string | null, files: ReadonlySet<string>): InstallTimeFindings {
  const findings: Finding[] = [];
  const roots: string[] = [];
  const budget = embeddedBudget();
  for (const s of scripts) {
    const pos = lineOf(pkgText, s.event);
    const cmd = escapeUntrusted(s.command.length > 200 ? s.command.slice(0, 200) + '…' : s.command);
    findings.push({
      ...message('install-script', 'script', { event: escapeUntrusted(s.event), command: cmd }),
      file: 'package.json',
      line: pos.line,
      column: pos.column,
      snippet: `"${escapeUntrusted(s.event)}": "${cmd}"`,
      installTime: true,
      message: `npm runs "${cmd}" when ${unit.name} is installed`,
    });
    for (const fact of s.reading.facts) findings.push(factFinding(fact, fact.file === 'package.json' ? pos.line : fact.line, fact.file === 'package.json' ? `scripts.${s.event}` : fact.file));
    roots.push(...embeddedFindings(unit.name, s.reading, files, budget, findings));
  }
  return { findings, roots };
}

/** `node -e` code of a reading, analysed; the package files its code loads. */
function embeddedFindings(pkg: string, reading: InstallReading, files: ReadonlySet<string>, budget: EmbeddedBudget, out: Finding[]): string[] {
  const roots: string[] = [];
  for (const code of reading.code) {
    const r = analyzeEmbedded({ path: code.path, code: code.code, origin: code.origin, sourceType: code.module ? 'module' : 'commonjs', installTime: true }, pkg, budget);
    out.push(...r.findings);
    for (const spec of r.imports) {
      const rel = /^\.{1,2}\//.test(spec) ? normalizeRel(spec) : null;
      const hit = rel === null ? null : resolveFile(rel, files);
      if (hit) roots.push(hit);
    }
  }
  return roots;
}

/**
 * Files that install-time JavaScript starts (`exec('bash preinstall.sh')`, `spawn('rundll32',
 * [dll + ',main'])`): followed like a lifecycle command's, their facts reported where they are.
 * Returns the findings and the JavaScript files they run (install-time too).
 */
export function startedFileFindings(unit: PackageUnit, findings: readonly Finding[], files: ReadonlySet<string>): InstallTimeFindings {
  const out: Finding[] = [];
  const roots: string[] = [];
  const budget = embeddedBudget();
  const scripts = scriptsOf(unit.pkg.scripts);
  for (const f of findings) {
    if (f.installTime !== true || f.messageId !== 'runsFile') continue;
    const run = startedFile(f.data);
    if (!run) continue;
    const ctx = { dir: unit.path, file: f.file, codePath: `${f.file}#node-e@${f.line}`, label: f.file, line: f.line, scripts, files };
    const reading = readInstallCommand('', ctx, run);
    for (const fact of reading.facts) out.push(factFinding(fact, fact.line, fact.file));
    roots.push(...reading.jsFiles, ...embeddedFindings(unit.name, reading, files, budget, out));
  }
  return { findings: out, roots };
}

function scriptsOf(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** A fact of a command line or script file as a finding of the rule it is evidence for. */
function factFinding(fact: LocatedFact, line: number, whereRaw: string): Finding {
  const snippet = escapeUntrusted(fact.snippet.length > 200 ? fact.snippet.slice(0, 200) + '…' : fact.snippet);
  const detail = escapeUntrusted(fact.detail);
  const where = escapeUntrusted(whereRaw);
  const base = { file: fact.file, line, column: 0, snippet, installTime: true };
  switch (fact.kind) {
    case 'download-run':
      return { ...base, ...message('child-process', 'downloadRun', { command: detail, how: where }), technique: 'download-and-run', message: `at install time, ${where} runs code it downloads (${detail})` };
    case 'run-binary':
      return { ...base, ...message('child-process', 'runBinary', { command: detail, how: where }), technique: 'shipped-binary', message: `at install time, ${where} starts a binary the package ships (${detail})` };
    case 'network':
      return { ...base, ...message('network', 'command', { command: detail, how: where }), message: `at install time, ${where} runs ${detail}` };
    case 'env-dump':
      return { ...base, ...message('env-bulk', 'shell', { command: detail, how: where }), message: `at install time, ${where} dumps the whole environment (${detail})` };
    case 'env-read':
      return { ...base, ...message('env-read', 'read', { name: detail, how: where }), message: `at install time, ${where} expands $${detail}` };
    case 'credential-file':
      return { ...base, ...message('credential-file', 'shell', { path: detail, how: where }), message: `at install time, ${where} reads ${detail}` };
    case 'exfiltration': {
      const source = fact.source ?? 'env';
      const sink = detail.split(' → ').pop() ?? detail;
      const what = detail.slice(0, Math.max(0, detail.length - sink.length - 3));
      return {
        ...base,
        ...message('exfiltration', 'command', { what, sink, source: escapeUntrusted(source), ...commandSource(source) }),
        flow: { source: { detail: escapeUntrusted(source), line, column: 0 }, sink: { detail: sink, line, column: 0 } },
        message: `at install time, ${where} sends ${source === 'env' ? 'the whole environment' : escapeUntrusted(source)} out with ${sink}`,
      };
    }
  }
}

/** What a command line sends: the whole environment (`env`), a credential file, or one env name. */
function commandSource(source: string): { sourceKind: string; name?: string } {
  if (source === 'env') return { sourceKind: 'whole' };
  if (/^[A-Za-z_][\w.:/@-]*$/.test(source) && !source.startsWith('process.') && !source.includes('/')) return { sourceKind: 'name', name: source };
  return { sourceKind: /^[~/.%]|environ|\//.test(source) ? 'file' : 'dynamic' };
}
