// One package: its static report next to what a trace saw it do. Each env name, the whole-env
// enumeration, each write and each capability is confirmed (both sides), static-only (the command
// never made the code run, or the code did not take that path) or runtime-only. A runtime-only
// one becomes a `hidden-access` finding at the call site the recorder saw: the static analysis
// missed it.
import type { Capability, Finding, PackageReport, PackageTrace, RuntimeKind, TraceStatus } from '../model.js';
import { RUNTIME_CAPABILITY } from '../model.js';
import { message } from '../rules/index.js';
import type { TraceEvent } from './read.js';

type Hidden = { event: TraceEvent } & Pick<Finding, 'rule' | 'messageId' | 'data' | 'detail'>;

function status(inStatic: boolean, inRuntime: boolean): TraceStatus {
  return inStatic && inRuntime ? 'confirmed' : inStatic ? 'static-only' : 'runtime-only';
}

function countBy(events: readonly TraceEvent[], kind: RuntimeKind): Map<string, TraceEvent> {
  const m = new Map<string, TraceEvent>();
  for (const e of events) {
    if (e.kind !== kind) continue;
    const seen = m.get(e.name);
    if (seen) seen.count += e.count;
    else m.set(e.name, { ...e });
  }
  return m;
}

/** A family read (`npm_config_*`, `debug_*`: Object.keys(process.env) filtered by a prefix) as a test. */
function familyTest(family: string): RegExp {
  // names come from package code: a pattern with many wildcards could backtrack for ages
  if (family.length > 200 || family.split('*').length > 4) return /(?!)/;
  const body = family.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Each name with its status. A family read claims every name it matches, and is itself confirmed
 * by a run-time read of such a name or by an enumeration (the run-time shape of `Object.keys(env).filter`).
 */
function names(
  staticNames: readonly string[],
  runtime: Map<string, TraceEvent>,
  enumerated: boolean,
): { name: string; status: TraceStatus; count?: number }[] {
  const all = [...new Set([...staticNames, ...runtime.keys()])].sort();
  const inStatic = new Set(staticNames);
  const families = staticNames.filter((n) => n.includes('*')).map(familyTest);
  return all.map((name) => {
    const r = runtime.get(name);
    const family = name.includes('*') && inStatic.has(name);
    const seen = r !== undefined || (family && (enumerated || [...runtime.keys()].some((k) => familyTest(name).test(k))));
    const claimed = inStatic.has(name) || families.some((f) => f.test(name));
    return { name, status: status(claimed, seen), ...(r ? { count: r.count } : {}) };
  });
}

const CAPABILITY_KINDS: RuntimeKind[] = ['network', 'child-process', 'credential-file'];

/** The hidden-access record's message for a run-time event (src/rules/hidden-access.ts). */
function hiddenMessage(e: TraceEvent): Pick<Finding, 'rule' | 'messageId' | 'data' | 'detail'> {
  switch (e.kind) {
    case 'env-read':
      return message('hidden-access', 'envRead', { name: e.name });
    case 'env-write':
      return message('hidden-access', 'envWrite', { name: e.name });
    case 'env-enumerate':
      return message('hidden-access', 'envEnumerate');
    case 'network':
      return message('hidden-access', 'network', { api: e.name });
    case 'child-process':
      return message('hidden-access', 'childProcess', { api: e.name, program: e.target ?? '?' });
    case 'credential-file':
      return message('hidden-access', 'credentialFile', { api: e.name, path: e.target ?? '?' });
  }
}

function hiddenOf(e: TraceEvent): Hidden {
  return { event: e, ...hiddenMessage(e) };
}

/** Compare; `events` are this package's (already matched), in file order. */
export function comparePackage(pkg: PackageReport, events: readonly TraceEvent[]): { trace: PackageTrace; hidden: Hidden[] } {
  const hidden: Hidden[] = [];
  const reads = countBy(events, 'env-read');
  const writes = countBy(events, 'env-write');
  // the env Node copies for a child (no `env` option) is inheritance, like the static child-process rule says
  const enumerations = events.filter((e) => e.kind === 'env-enumerate' && e.via === undefined);
  const trace: PackageTrace = {
    seen: events.length > 0,
    reads: names(pkg.env.reads, reads, enumerations.length > 0),
    writes: names(pkg.env.writes, writes, false),
    capabilities: [],
  };
  // a family read enumerates at run time: that enumeration is the family read, not a hidden whole-env one
  const familyRead = pkg.env.reads.some((n) => n.includes('*'));
  const enumerationHidden = enumerations.length > 0 && !pkg.env.bulk && !familyRead;
  if (pkg.env.bulk || enumerationHidden) trace.bulk = status(pkg.env.bulk, enumerations.length > 0);

  // a static whole-environment read already claims every name, so a name read at run time is no surprise there
  if (!pkg.env.bulk) {
    for (const r of trace.reads) if (r.status === 'runtime-only') hidden.push(hiddenOf(reads.get(r.name)!));
    if (enumerationHidden) {
      const first = { ...enumerations[0], count: enumerations.reduce((s, e) => s + e.count, 0) };
      hidden.push(hiddenOf(first));
    }
  }
  for (const w of trace.writes) if (w.status === 'runtime-only') hidden.push(hiddenOf(writes.get(w.name)!));

  const staticCaps = new Set<Capability>(pkg.capabilities);
  for (const kind of CAPABILITY_KINDS) {
    const cap = RUNTIME_CAPABILITY[kind];
    const seen = events.filter((e) => e.kind === kind);
    if (!staticCaps.has(cap) && seen.length === 0) continue;
    trace.capabilities.push({ capability: cap, status: status(staticCaps.has(cap), seen.length > 0), apis: [...new Set(seen.map((e) => e.name))].sort() });
    if (!staticCaps.has(cap)) for (const e of seen) hidden.push(hiddenOf(e));
  }
  trace.capabilities.sort((a, b) => (a.capability < b.capability ? -1 : a.capability > b.capability ? 1 : 0));
  return { trace, hidden };
}

/** `file:line:column` (V8's 1-based column) → the finding's position. */
export function parseSite(site: string): { file: string; line: number; column: number } {
  const m = /^(.*):(\d+):(\d+)$/.exec(site);
  if (!m) return { file: site, line: 1, column: 0 };
  return { file: m[1], line: Math.max(1, Number(m[2])), column: Math.max(0, Number(m[3]) - 1) };
}

export function hiddenFinding(h: Hidden, snippet: (file: string, line: number) => string): Finding {
  const { file, line, column } = parseSite(h.event.site);
  const e = h.event;
  return {
    rule: h.rule,
    messageId: h.messageId,
    data: h.data,
    file,
    line,
    column,
    detail: h.detail,
    snippet: snippet(file, line),
    message: `at run time (${e.count}×) but not found by the static analysis: ${h.detail}`,
    runtime: { kind: e.kind, name: e.name, ...(e.target !== undefined ? { target: e.target } : {}), count: e.count },
  };
}
