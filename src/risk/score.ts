// Scoring: one package's findings in, the contract's Package out. Pure and deterministic.
//
// THE RISK MODEL (quoted by the README; numbers live in WEIGHTS below)
//
// Every point of score is a ScoreItem tied to one finding (rule, file, line); the score is the sum
// of the items, clamped to 0..100. Levels are score bands: critical ≥ 80, high ≥ 50, medium ≥ 20,
// low ≥ 1, none = 0.
//
//   what                                         points
//   env read, ordinary name (NODE_ENV, DEBUG…)        0   a package reading only these is `none`:
//                                                         it is what half of npm does, and `low`
//                                                         would bury the signal in noise
//   env read, other non-secret name                 2   each, at most 8 in all
//   env read, secret-looking name                  25   the first, 5 for each further one, at most 40
//   env read of a computed key                     10   once
//   whole environment read (env-bulk)              30   once — more than one secret
//   env write                                       3   once (10 when it is NODE_OPTIONS, PATH,
//                                                         NODE_TLS_REJECT_UNAUTHORIZED, a proxy, …)
//   network                                        10   once
//   child process                                  12   once
//   credential file (.npmrc, .aws/credentials…)    30   the first, 5 for each further file, at most 40
//   eval / new Function / vm                       10   once
//   dynamic require / import()                      5   once
//   obfuscation                                    35   once
//   install script                                 10   once (so on its own: low)
//   exfiltration (env value into a sink)           40   once
//   parse error                                     1   each (2 for a skipped oversize file), at most 3
//   hidden access (scan --trace: seen at run time, 15   the first, 5 for each further one, at most 25
//     missed by the static analysis)
//
//   Expected behaviour (expected.ts: a vendor SDK reading its own prefix, proxy variables, npm
//   tooling and npm config, dotenv loaders and .env) counts a quarter, rounded down (so an expected
//   ordinary name such as HTTP_PROXY adds 0), and its reason says "expected: <why>".
//   Code no entry point reaches (tests, examples) counts a quarter too (rounded, at least 1), and all
//   such code together adds at most 19 points, so it can never lift a package above `low` on its own;
//   its reasons say "(unreachable: no entry point loads it)".
//
// LEVELS are the report contract's promises about evidence. Points alone never lift a package above
// medium (a capping step trims the points awarded last); high and critical come only from the
// combinations below, which look at reachable findings. When the summed points fall short of the
// highest floor, one more ScoreItem ("combination: … ⇒ level"), tied to the finding that completes the
// combination, makes up the difference — so the score lands in the level's band and every point stays
// traceable.
//
//   critical  a secret, the whole env, a computed key or a credential file's content reaching a sink as
//             payload; a credential in an auth position to a constant host that is not its own service
//             (risk/ownership.ts); the same done by hidden (decoded, embedded) code
//   critical  at install time: a bulk env read or a non-expected secret read, together with an
//             install-time network / child-process / exfiltration finding
//   critical  decode-then-execute of data shipped in the package
//   high      a credential sent as authentication to its own service ("sends X to host (its own
//             service)"), or to a destination set at runtime; an expected vendor flow
//   high      a non-expected secret read, a bulk read, or a computed read whose literal parts look
//             like a secret + network / child process; a credential-file read + network
//   high      obfuscation (of something sensitive) + a capability
//   medium    a plain setting carried out; install-time code that could not be analysed
//   high      scan --trace: a secret or whole-env read + network / child process, where one side
//             was seen only at run time (hidden-access)
//
// An obfuscation finding for a constant that was decoded and analysed as embedded code (embeddedAs)
// weighs nothing itself: the embedded code's own findings, marked hidden, decide.
import semver from 'semver';
import { LEVELS, RUNTIME_CAPABILITY } from '../model.js';
import type { Capability, Finding, Level, PackageReport, PackageUnit, RuleId, ScoreItem } from '../model.js';
import { comboRules, fillMessage, RULES, ruleCapability } from '../rules/index.js';
import type { ComboKind, ComboRole } from '../rules/record.js';
import { expectedCredentialFileReason, expectedEnvReason } from './expected.js';
import { isBenignName, isSecretName, secretKind } from './secret-names.js';
import { ownershipOf, type Ownership } from './ownership.js';

const w = (rule: RuleId, key: string): number => {
  const v = RULES[rule].scoring.weights[key];
  if (v === undefined) throw new Error(`rule ${rule} has no weight ${key}`);
  return v;
};

/** The points of each rule, from its record (src/rules/<rule>.ts), by the names the model above uses. */
export const WEIGHTS = {
  envOther: w('env-read', 'other'),
  envOtherCap: w('env-read', 'otherCap'),
  envSecretFirst: w('env-read', 'secretFirst'),
  envSecretMore: w('env-read', 'secretMore'),
  envSecretCap: w('env-read', 'secretCap'),
  envDynamic: w('env-read-dynamic', 'points'),
  envBulk: w('env-bulk', 'points'),
  envWrite: w('env-write', 'points'),
  envWriteSensitive: w('env-write', 'sensitive'),
  network: w('network', 'points'),
  childProcess: w('child-process', 'points'),
  credentialFileFirst: w('credential-file', 'first'),
  credentialFileMore: w('credential-file', 'more'),
  credentialFileCap: w('credential-file', 'cap'),
  eval: w('eval', 'points'),
  dynamicRequire: w('dynamic-require', 'points'),
  obfuscation: w('obfuscation', 'points'),
  installScript: w('install-script', 'points'),
  exfiltration: w('exfiltration', 'points'),
  parseError: w('parse-error', 'points'),
  parseErrorSkipped: w('parse-error', 'skipped'),
  parseErrorCap: w('parse-error', 'cap'),
  hiddenFirst: w('hidden-access', 'first'),
  hiddenMore: w('hidden-access', 'more'),
  hiddenCap: w('hidden-access', 'cap'),
  expectedFactor: 0.25,
  unreachableFactor: 0.25,
  unreachableCap: 19,
} as const;

/** A string value of a finding's data ('' when absent). */
function datum(f: Finding, key: string): string {
  const v = f.data?.[key];
  return v === undefined ? '' : String(v);
}

/** A rule's reason template filled with a finding's detail and other values. */
function reasonText(template: string, values: Record<string, string | number>): string {
  return fillMessage(template, values);
}

/** A hidden-access finding that read a secret-looking name or enumerated the whole environment at run time. */
function hiddenSource(f: Finding): boolean {
  const k = f.runtime?.kind;
  return k === 'env-enumerate' || (k === 'env-read' && isSecretName(f.runtime?.name ?? ''));
}

function hiddenSink(f: Finding): boolean {
  return f.runtime?.kind === 'network' || f.runtime?.kind === 'child-process';
}

/** Lowest score of each level's band. */
export const LEVEL_MIN: Readonly<Record<Level, number>> = { critical: 80, high: 50, medium: 20, low: 1, none: 0 };


/** Writing these changes how Node, the loader, TLS or npm behave for everything after. */
const SENSITIVE_WRITES = new Set([
  'NODE_OPTIONS', 'NODE_TLS_REJECT_UNAUTHORIZED', 'NODE_EXTRA_CA_CERTS', 'NODE_PATH', 'PATH', 'LD_PRELOAD',
  'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY',
  'NPM_CONFIG_REGISTRY', 'GIT_SSH_COMMAND', 'SSL_CERT_FILE',
]);

const UNREACHABLE_NOTE = '(unreachable: no entry point loads it)';
const MARKED_EXPECTED = 'marked expected by the analyzer';

/** Plain code-unit comparison: locale-independent, so output never depends on ICU. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareFindings(a: Finding, b: Finding): number {
  return cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.rule, b.rule) || cmp(a.detail, b.detail);
}

export function levelForScore(score: number): Level {
  for (const level of LEVELS) if (score >= LEVEL_MIN[level]) return level;
  return 'none';
}

function levelAtLeast(a: Level, b: Level): boolean {
  return LEVEL_MIN[a] >= LEVEL_MIN[b];
}

/** A finding as the scorer sees it. `f` is the output copy, with `expected` as decided here. */
interface Ann {
  f: Finding;
  index: number;
  reachable: boolean;
  expected: string | null;
  secret: boolean;
  benign: boolean;
  /** exfiltration in an authentication position: whose service the credential goes to. */
  owner: Ownership | null;
}

/** The env name an exfiltration carries, or null when it is the whole env, a computed key or a file. */
export function exfilSource(f: Finding): string | null {
  if (f.data?.sourceKind !== 'name') return null;
  const name = datum(f, 'name');
  // a name that is not a plain identifier-like string is shown, but judged like a computed key
  return /^[A-Za-z_][\w.:/@-]*$/.test(name) && !name.startsWith('process.') ? name : null;
}

function exfilSink(f: Finding): string {
  return datum(f, 'sink') || 'a network or process sink';
}

/** A computed key (as written) whose literal parts look like a secret: process.env[`${p}_TOKEN`]. */
function dynamicLooksSecret(key: string): boolean {
  const lits: string[] = [];
  for (const m of key.matchAll(/'([^']*)'|"([^"]*)"|`([^`]*)`/g)) lits.push(m[1] ?? m[2] ?? m[3] ?? '');
  if (lits.length === 0 && key.includes('${')) lits.push(key);
  if (lits.length === 0) return false;
  return isSecretName(lits.map((l) => l.replace(/\$\{[^}]*\}/g, '_')).join('_'));
}

/** Why an env name is expected here. A CI/registry token only ever by the tables, whatever the analyzer says. */
function envExpectation(pkg: string, name: string, f: Finding): string | null {
  const computed = expectedEnvReason(pkg, name);
  if (f.expected === true) {
    if (computed) return f.expectedReason ?? computed;
    return secretKind(name) === 'CI/registry token' ? null : (f.expectedReason ?? MARKED_EXPECTED);
  }
  return computed;
}

/**
 * A named credential in an authentication position (Authorization header, basic auth, token path
 * segment): whose service receives it. The whole env, a computed key or a file's content is never
 * authentication, so those stay payload.
 */
function authOwnership(f: Finding): Ownership | null {
  if (f.rule !== 'exfiltration' || f.flow?.sink.position !== 'auth') return null;
  const src = exfilSource(f);
  // a plain setting in a header (a user-agent built from PW_LANG_NAME) is no credential
  if (src === null || /^[~/.]|environ/.test(src) || !isSecretName(src)) return null;
  return ownershipOf(src, f.flow.sink.hosts ?? [], f.flow.sink.destinationEnv ?? []);
}

function decideExpected(pkg: string, f: Finding): string | null {
  switch (f.rule) {
    case 'env-read':
      return envExpectation(pkg, datum(f, 'name'), f);
    case 'exfiltration': {
      // the whole env or a computed key leaving the process is never expected
      const src = exfilSource(f);
      return src === null ? null : envExpectation(pkg, src, f);
    }
    case 'credential-file':
      return f.expected === true ? (f.expectedReason ?? MARKED_EXPECTED) : expectedCredentialFileReason(pkg, datum(f, 'path'));
    default:
      return f.expected === true ? (f.expectedReason ?? MARKED_EXPECTED) : null;
  }
}

function annotate(pkg: string, findings: readonly Finding[]): Ann[] {
  const sorted = findings.map((f) => ({ ...f })).sort(compareFindings);
  return sorted.map((f, index) => {
    const owner = authOwnership(f);
    // ownership decides for a credential in an auth position: someone else's host is never expected, whoever sends it
    const expected = owner?.kind === 'own' ? `a ${owner.service} credential sent as authentication to ${owner.service}` : owner?.kind === 'foreign' ? null : decideExpected(pkg, f);
    if (expected !== null) {
      f.expected = true;
      f.expectedReason = expected;
    } else if (f.expected !== undefined) {
      f.expected = false; // overruled (e.g. a CI token claimed by a non-vendor); keep explain consistent with the score
      delete f.expectedReason;
    }
    let secret = false;
    if (f.rule === 'env-read') secret = isSecretName(datum(f, 'name'));
    else if (f.rule === 'env-read-dynamic') secret = dynamicLooksSecret(datum(f, 'key'));
    else if (f.rule === 'hidden-access') secret = hiddenSource(f);
    else if (f.rule === 'exfiltration') {
      const src = exfilSource(f);
      secret = src === null || isSecretName(src);
    }
    return {
      f,
      index,
      reachable: f.reachable !== false,
      expected,
      secret,
      benign: f.rule === 'env-read' && isBenignName(datum(f, 'name')),
      owner,
    };
  });
}

/** Reachable non-expected first, then reachable expected, then unreachable; ties in finding order. */
function rank(a: Ann): number {
  return (a.reachable ? 0 : 2) + (a.expected ? 1 : 0);
}

function byRank(a: Ann, b: Ann): number {
  return rank(a) - rank(b) || a.index - b.index;
}

function loc(f: Finding): string {
  return `${f.file}:${f.line}`;
}

/** "a, b, c +2 more": short, stable lists for reasons. */
function list(values: readonly string[], max = 3): string {
  const uniq = [...new Set(values)];
  const head = uniq.slice(0, max).join(', ');
  return uniq.length > max ? `${head} +${uniq.length - max} more` : head;
}

function locs(anns: readonly Ann[], max = 3): string {
  return list([...anns].sort((a, b) => a.index - b.index).map((a) => loc(a.f)), max);
}

/** Group anns by a key, keeping first-seen order (anns arrive in a deterministic order). */
function groupBy<K>(anns: readonly Ann[], key: (a: Ann) => K): Map<K, Ann[]> {
  const m = new Map<K, Ann[]>();
  for (const a of anns) {
    const k = key(a);
    const g = m.get(k);
    if (g) g.push(a);
    else m.set(k, [a]);
  }
  return m;
}

/** Hands out points, honouring per-category caps and the unreachable pool; records who earned what. */
class Ledger {
  readonly items: ScoreItem[] = [];
  readonly earned = new Map<Ann, number>();
  private readonly used = new Map<string, number>();
  private unreachableUsed = 0;

  award(a: Ann, base: number, reason: string, category?: string, cap?: number): number {
    let p = base;
    // expected: a quarter rounded down, so an expected ordinary name (STRIPE_API_VERSION, HTTP_PROXY) adds nothing
    if (a.expected) p = Math.floor(p * WEIGHTS.expectedFactor);
    // unreachable: a quarter, but never below 1, so the signal is not lost
    if (p > 0 && !a.reachable) p = Math.max(1, Math.round(p * WEIGHTS.unreachableFactor));
    if (category !== undefined && cap !== undefined) p = Math.min(p, cap - (this.used.get(category) ?? 0));
    if (!a.reachable) p = Math.min(p, WEIGHTS.unreachableCap - this.unreachableUsed);
    if (p <= 0) return 0;
    if (category !== undefined) this.used.set(category, (this.used.get(category) ?? 0) + p);
    if (!a.reachable) this.unreachableUsed += p;
    let text = reason;
    if (a.expected) text += ` — expected: ${a.expected}`;
    if (!a.reachable) text += ` ${UNREACHABLE_NOTE}`;
    this.items.push({ points: p, reason: text, rule: a.f.rule, file: a.f.file, line: a.f.line });
    this.earned.set(a, (this.earned.get(a) ?? 0) + p);
    return p;
  }

  /** A combination's make-up points: not scaled, not capped (they exist to reach the band). */
  combine(a: Ann, points: number, reason: string): void {
    this.items.push({ points, reason, rule: a.f.rule, file: a.f.file, line: a.f.line });
    this.earned.set(a, (this.earned.get(a) ?? 0) + points);
  }

  total(): number {
    return this.items.reduce((s, i) => s + i.points, 0);
  }

  /** Hold the total at `top`: the points awarded last (the least important) give way first. */
  capAt(top: number, note: string): void {
    let excess = this.total() - top;
    for (let i = this.items.length - 1; i >= 0 && excess > 0; i--) {
      const item = this.items[i];
      const cut = Math.min(item.points, excess);
      item.points -= cut;
      excess -= cut;
      for (const [a, p] of this.earned) if (a.f.rule === item.rule && a.f.file === item.file && a.f.line === item.line) this.earned.set(a, Math.max(0, p - cut));
      if (item.points === 0) this.items.splice(i, 1);
      else item.reason += ` (${note})`;
    }
  }
}

/** Award points once for a capability-like rule, anchored on its most telling finding. */
function once(ledger: Ledger, anns: readonly Ann[], base: (a: Ann) => number, reason: (a: Ann) => string): void {
  if (anns.length === 0) return;
  const anchor = [...anns].sort((a, b) => rank(a) - rank(b) || base(b) - base(a) || a.index - b.index)[0];
  ledger.award(anchor, base(anchor), reason(anchor));
}

/** One representative per distinct subject (the best-ranked), ordered best first then by subject. */
function perSubject(anns: readonly Ann[], subject: (f: Finding) => string): Ann[] {
  const reps = [...groupBy([...anns].sort(byRank), (a) => subject(a.f)).values()].map((g) => g[0]);
  return reps.sort((a, b) => rank(a) - rank(b) || cmp(subject(a.f), subject(b.f)));
}

interface Combo {
  level: Level;
  kind: ComboKind;
  /** the finding that completes the combination: it carries the make-up points. */
  anchor: Ann;
  /** what happens, without locations (also the make-up ScoreItem's reason). */
  text: string;
  /** where: file:line of the findings involved. */
  where: string;
}

function sinkWords(sinks: readonly Ann[]): string {
  const words: string[] = [];
  for (const id of Object.keys(RULES) as RuleId[]) {
    const phrase = RULES[id].scoring.phrase;
    if (phrase && sinks.some((s) => s.f.rule === id)) words.push(phrase);
  }
  return 'can ' + (words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}` : words[0]);
}

/** "reads AWS_SECRET_ACCESS_KEY" / "reads the whole environment" / "reads env keys built at runtime". */
function sourceWords(sources: readonly Ann[]): string {
  const names = sources.filter((s) => s.f.rule === 'env-read').map((s) => datum(s.f, 'name'));
  const parts: string[] = [];
  if (sources.some((s) => s.f.rule === 'env-bulk')) parts.push('the whole environment');
  if (names.length) parts.push(list(names));
  if (sources.some((s) => s.f.rule === 'env-read-dynamic')) parts.push('secret-looking keys built at runtime');
  return 'reads ' + parts.join(' and ');
}

/** Representative sources and sinks for a reason: first of each kind, so locations stay few. */
function firstPerDetail(anns: readonly Ann[]): Ann[] {
  return [...groupBy(anns, (a) => `${a.f.rule}\0${a.f.detail}`).values()].map((g) => g[0]);
}

function exfilText(a: Ann): string {
  const src = exfilSource(a.f);
  const what = src === null ? 'the whole environment (or a computed key)' : src;
  const hidden = a.f.hidden ? `hidden code (${a.f.origin ?? 'decoded'}): ` : '';
  return `${hidden}${what} flows into ${exfilSink(a.f)}`;
}

function findCombos(anns: readonly Ann[]): Combo[] {
  // an encoded constant analysed as embedded code weighs by what that code does (its own findings)
  const r = anns.filter((a) => a.reachable && !a.f.embeddedAs);
  // the rules of each role come from the records (src/rules: scoring.combinations)
  const of = (kind: ComboKind, role: ComboRole): Ann[] => {
    const rules = comboRules(kind, role);
    return r.filter((a) => rules.includes(a.f.rule));
  };
  const combos: Combo[] = [];

  // the whole env, a computed key, credential-file contents or a secret-looking name leaving
  // the process is critical; a plain setting (AWS_REGION, npm_package_version) in a request
  // body is worth a look, not an incident
  const grave = (a: Ann): boolean => {
    const src = exfilSource(a.f);
    return src === null || isSecretName(src);
  };
  for (const a of of('exfiltration', 'anchor').filter((x) => !x.expected)) {
    const src = exfilSource(a.f);
    if (a.owner?.kind === 'unknown') {
      // a credential authenticating to a destination the caller configures: can steal, no proof
      combos.push({ level: 'high', kind: 'exfiltration', anchor: a, text: `sends ${src} as authentication to a destination set at runtime (${exfilSink(a.f)})`, where: loc(a.f) });
      continue;
    }
    const text = a.owner?.kind === 'foreign' ? `sends ${src} to ${a.owner.where} (not its own service) in ${exfilSink(a.f)}` : exfilText(a);
    // a plain setting (AWS_REGION, npm_package_version) carried out is a capability combination, not theft
    combos.push({ level: grave(a) ? 'critical' : 'medium', kind: 'exfiltration', anchor: a, text, where: loc(a.f) });
  }

  /** A source that is a secret: the whole environment, or a secret-looking name not expected here. */
  const secretSource = (a: Ann): boolean => a.f.rule === 'env-bulk' || (a.secret && !a.expected);
  const installSources = of('install-time', 'source').filter((a) => a.f.installTime === true && secretSource(a));
  const installSinks = of('install-time', 'sink').filter((a) => a.f.installTime === true);
  if (installSources.length && installSinks.length) {
    const srcs = firstPerDetail(installSources);
    const sinks = firstPerDetail(installSinks);
    combos.push({
      level: 'critical',
      kind: 'install-time',
      anchor: sinks[0],
      text: `at install time, ${sourceWords(srcs)} and ${sinkWords(sinks)}`,
      where: locs([...srcs, ...sinks]),
    });
  }

  // install-time code that runs what it fetched (`curl … | sh`, download then execute) is critical;
  // one that starts a binary or DLL the package ships is high (node-gyp's own build is neither)
  const fetchedRun = of('install-download-run', 'anchor').find((a) => a.f.technique === 'download-and-run' && a.f.installTime === true);
  if (fetchedRun) {
    combos.push({ level: 'critical', kind: 'install-download-run', anchor: fetchedRun, text: `at install time, code is downloaded and run (${datum(fetchedRun.f, 'command')})`, where: loc(fetchedRun.f) });
  }
  // at run time too: a download written to disk and started, or `curl … | sh` in an exec string —
  // the contract's "downloads code from anywhere but the package registry and runs it"
  const runtimeRun = fetchedRun ? undefined : of('download-run', 'anchor').find((a) => a.f.technique === 'download-and-run');
  if (runtimeRun) {
    combos.push({ level: 'critical', kind: 'download-run', anchor: runtimeRun, text: `code is downloaded and run (${datum(runtimeRun.f, 'command')})`, where: loc(runtimeRun.f) });
  }
  const shipped = of('install-binary', 'anchor').find((a) => a.f.technique === 'shipped-binary' && a.f.installTime === true);
  if (shipped) {
    combos.push({ level: 'high', kind: 'install-binary', anchor: shipped, text: `at install time, a binary the package ships is started (${shipped.f.detail})`, where: loc(shipped.f) });
  }

  const obf = of('obfuscation', 'anchor');
  const obfEnv = of('obfuscation', 'source').filter((a) => !a.benign);
  const obfSinks = of('obfuscation', 'sink');
  if (obf.length && obfEnv.length && obfSinks.length) {
    const sinks = firstPerDetail(obfSinks);
    // hiding next to a capability is worth a review (high); theft needs a flow, here or in the hidden code
    combos.push({
      level: 'high',
      kind: 'obfuscation',
      anchor: obf[0],
      text: `obfuscated code (${obf[0].f.detail}) in a package that reads the environment and ${sinkWords(sinks)}`,
      where: locs([obf[0], obfEnv[0], ...sinks]),
    });
  }

  // decode-then-execute: a payload hidden in an encoded literal and run — what event-stream and
  // its family did; nothing honest needs to hide the code it evaluates
  const decodeExec = of('decode-execute', 'anchor').find((a) => a.f.messageId === 'decodeExecute');
  if (decodeExec && of('decode-execute', 'sink').length) {
    combos.push({ level: 'critical', kind: 'decode-execute', anchor: decodeExec, text: `hidden code is decoded and executed (${decodeExec.f.detail})`, where: loc(decodeExec.f) });
  }
  // obfuscated code that also loads modules by computed name, runs code, or reaches the network
  // or processes: the hiding is there to keep a reviewer from seeing what it does
  const obfAnchor = of('obfuscated-capability', 'anchor');
  const obfCaps = of('obfuscated-capability', 'sink');
  if (obfAnchor.length && obfCaps.length) {
    const sk = firstPerDetail(obfCaps);
    combos.push({ level: 'high', kind: 'obfuscated-capability', anchor: obfAnchor[0], text: `obfuscated code (${obfAnchor[0].f.detail}) in a package that ${sinkWords(sk)}`, where: locs([obfAnchor[0], ...sk]) });
  }
  // install-time code that could not be analysed (oversize, timed out, too deep, not parseable):
  // padding a payload must not make it invisible
  const unanalysed = of('install-unanalysed', 'anchor').find((a) => a.f.installTime === true);
  if (unanalysed) {
    combos.push({ level: 'medium', kind: 'install-unanalysed', anchor: unanalysed, text: `install-time code could not be analysed (${unanalysed.f.file}: ${unanalysed.f.detail})`, where: loc(unanalysed.f) });
  }
  // a package whose manifest name disagrees with its folder or lockfile entry: an impostor's claim
  const mismatch = of('name-mismatch', 'anchor')[0];
  if (mismatch) {
    combos.push({ level: 'high', kind: 'name-mismatch', anchor: mismatch, text: `identity: ${mismatch.f.detail}`, where: loc(mismatch.f) });
  }
  // a dropper: install-time code that downloads and starts a process
  const installNet = of('install-dropper', 'sink').filter((a) => a.f.installTime === true);
  const installProc = of('install-dropper', 'anchor').filter((a) => a.f.installTime === true);
  if (installNet.length && installProc.length) {
    combos.push({ level: 'high', kind: 'install-dropper', anchor: installProc[0], text: `at install time, code can reach the network and start processes (a download-and-run dropper looks like this)`, where: locs([installNet[0], installProc[0]]) });
  }

  for (const a of of('expected-exfiltration', 'anchor').filter((x) => x.expected)) {
    const own = a.owner?.kind === 'own' ? a.owner : null;
    combos.push({
      // a vendor's own setting carried in its request (FIREBASE_WEBAPP_CONFIG's project id in the
      // URL) is configuration, like any plain setting carried out: medium; its credential is high
      level: grave(a) ? 'high' : 'medium',
      kind: 'expected-exfiltration',
      anchor: a,
      text: own ? `sends ${exfilSource(a.f)} to ${own.where} (its own service)` : `${exfilText(a)} — expected: ${a.expected}`,
      where: loc(a.f),
    });
  }

  const sinks = of('secret-sink', 'sink');
  const sources = of('secret-sink', 'source').filter(secretSource);
  const installCovered = combos.some((c) => c.kind === 'install-time');
  if (sources.length && sinks.length && !installCovered) {
    const srcs = firstPerDetail(sources);
    const sk = firstPerDetail(sinks);
    combos.push({
      level: 'high',
      kind: 'secret-sink',
      anchor: sk[0],
      text: `${sourceWords(srcs)} and ${sinkWords(sk)}`,
      where: locs([...srcs, ...sk]),
    });
  }

  // scan --trace: the same pairing when the static analysis missed one side of it
  const hidden = of('hidden-access', 'anchor');
  const hiddenSources = hidden.filter((a) => a.secret);
  const hiddenSinks = hidden.filter((a) => hiddenSink(a.f));
  const allSources = [...sources, ...hiddenSources];
  const allSinks = [...sinks, ...hiddenSinks];
  if ((hiddenSources.length || hiddenSinks.length) && allSources.length && allSinks.length && !combos.some((c) => c.kind === 'secret-sink')) {
    combos.push({
      level: 'high',
      kind: 'hidden-access',
      anchor: [...hiddenSources, ...hiddenSinks][0],
      text: fillMessage(RULES['hidden-access'].scoring.extra?.combo ?? '', { details: list(firstPerDetail([...allSources, ...allSinks]).map((a) => a.f.detail)) }),
      where: locs([allSources[0], allSinks[0]]),
    });
  }

  const creds = of('credential-network', 'source').filter((a) => !a.expected);
  const net = of('credential-network', 'sink');
  if (creds.length && net.length) {
    const cf = firstPerDetail(creds);
    combos.push({
      level: 'high',
      kind: 'credential-network',
      anchor: net[0],
      text: `reads credential file ${list(cf.map((c) => c.f.detail))} and can reach the network`,
      where: locs([...cf, net[0]]),
    });
  }
  return combos;
}

interface Reason {
  tier: number;
  points: number;
  order: number;
  text: string;
}

/** One reason per group of like findings (same category, reachability and expectation). */
function groupReasons(anns: readonly Ann[], ledger: Ledger): Reason[] {
  const out: Reason[] = [];
  let order = 0;
  const push = (members: Ann[], text: string): void => {
    const unreachable = members.every((m) => !m.reachable);
    const exp = members[0].expected;
    let t = text;
    if (exp) t += ` — expected: ${exp}`;
    if (unreachable) t += ` ${UNREACHABLE_NOTE}`;
    t += ` (${locs(members)})`;
    const points = members.reduce((s, m) => s + (ledger.earned.get(m) ?? 0), 0);
    out.push({ tier: 1, points, order: order++, text: t });
  };
  const split = (xs: Ann[]): Ann[][] => [...groupBy(xs, (a) => `${a.reachable}\0${a.expected ?? ''}`).values()];
  const details = (xs: Ann[]): string => list(xs.map((x) => x.f.detail));
  const rule = (id: RuleId): Ann[] => anns.filter((a) => a.f.rule === id);
  const scoring = (id: RuleId) => RULES[id].scoring;
  /** The rule's group reason (its record's template) for each group of like findings. */
  const groups = (id: RuleId, xs: Ann[] = rule(id)): void => {
    for (const g of split(xs)) push(g, fillMessage(scoring(id).group, { details: details(g) }));
  };
  const extra = (id: RuleId, key: string, values: Record<string, string | number>): string =>
    fillMessage(scoring(id).extra?.[key] ?? '', values);

  for (const g of split(rule('exfiltration').filter((a) => !a.reachable))) push(g, fillMessage(scoring('exfiltration').group, { flows: list(g.map(exfilText), 2) }));
  groups('obfuscation', rule('obfuscation').filter((a) => !a.f.embeddedAs));
  for (const g of split(rule('obfuscation').filter((a) => a.f.embeddedAs))) push(g, `embeds code in encoded constants, analysed as ${list(g.map((a) => a.f.embeddedAs!))}`);
  groups('hidden-access');
  groups('env-bulk');
  for (const g of split(rule('env-read').filter((a) => a.secret))) {
    const names = [...new Set(g.map((a) => datum(a.f, 'name')))];
    const text =
      names.length === 1
        ? extra('env-read', 'secretGroup', { name: names[0], kind: secretKind(names[0]) ?? 'secret' })
        : extra('env-read', 'secretsGroup', { count: names.length, names: list(names.map((n) => `${n} (${secretKind(n) ?? 'secret'})`)) });
    push(g, text);
  }
  for (const id of ['credential-file', 'child-process', 'network', 'eval', 'env-read-dynamic', 'install-script', 'dynamic-require', 'env-write'] as const) groups(id);
  groups('env-read', rule('env-read').filter((a) => !a.secret && !a.benign));
  const pe = rule('parse-error');
  const skipped = pe.filter((a) => a.f.messageId === 'skipped');
  const failed = pe.filter((a) => a.f.messageId !== 'skipped');
  const files = (xs: Ann[]): Record<string, string | number> => {
    const n = new Set(xs.map((x) => x.f.file)).size;
    return { count: n, files: n === 1 ? 'file' : 'files' };
  };
  for (const g of split(failed)) push(g, fillMessage(scoring('parse-error').group, files(g)));
  // say which limit: a timed-out file is not an oversize one
  const kind = (a: Ann): unknown => a.f.data?.unanalysed;
  for (const g of split(skipped.filter((a) => kind(a) === 'timeout'))) push(g, extra('parse-error', 'timedOutGroup', files(g)));
  for (const g of split(skipped.filter((a) => kind(a) === 'unreadable'))) push(g, extra('parse-error', 'unreadableGroup', files(g)));
  for (const g of split(skipped.filter((a) => kind(a) === 'size'))) push(g, extra('parse-error', 'skippedGroup', files(g)));
  for (const g of split(skipped.filter((a) => kind(a) === undefined))) push(g, extra('parse-error', 'notCodeGroup', files(g)));

  // ordinary names only matter when nothing else is said: then they explain a `none`
  if (out.length === 0) {
    const benign = rule('env-read').filter((a) => a.benign);
    if (benign.length) {
      out.push({ tier: 0, points: 0, order: order++, text: `${extra('env-read', 'benignGroup', { details: details(benign) })} (${locs(benign)})` });
    }
  }
  return out;
}

/** Score one package from its findings. Pure: same input, same output. */
export function scorePackage(unit: PackageUnit, findings: Finding[]): PackageReport {
  const anns = annotate(unit.name, findings);
  const ledger = new Ledger();
  const rule = (...ids: RuleId[]): Ann[] => anns.filter((a) => ids.includes(a.f.rule) && !a.f.embeddedAs);

  // Award in order of importance, so caps and the unreachable pool favour what matters most.
  // Reason texts are the records' templates (src/rules/<rule>.ts scoring.reason).
  const reason = (a: Ann, values: Record<string, string | number> = {}): string =>
    reasonText(RULES[a.f.rule].scoring.reason, { detail: a.f.detail, file: a.f.file, ...values });
  once(ledger, rule('exfiltration'), () => WEIGHTS.exfiltration, (a) => reason(a, { flow: exfilText(a) }));
  once(ledger, rule('obfuscation'), () => WEIGHTS.obfuscation, (a) => reason(a));
  once(ledger, rule('env-bulk'), () => WEIGHTS.envBulk, (a) => reason(a));
  perSubject(rule('hidden-access'), (f) => f.detail).forEach((a, i) => {
    const base = i === 0 ? WEIGHTS.hiddenFirst : WEIGHTS.hiddenMore;
    ledger.award(a, base, reason(a), 'hidden-access', WEIGHTS.hiddenCap);
  });

  const name = (f: Finding): string => datum(f, 'name');
  perSubject(rule('env-read').filter((a) => a.secret), name).forEach((a, i) => {
    const base = i === 0 ? WEIGHTS.envSecretFirst : WEIGHTS.envSecretMore;
    const text = fillMessage(RULES['env-read'].scoring.extra?.secret ?? '', { detail: a.f.detail, kind: String(secretKind(name(a.f))) });
    ledger.award(a, base, text, 'env-secret', WEIGHTS.envSecretCap);
  });
  perSubject(rule('credential-file'), (f) => datum(f, 'path')).forEach((a, i) => {
    const base = i === 0 ? WEIGHTS.credentialFileFirst : WEIGHTS.credentialFileMore;
    ledger.award(a, base, reason(a), 'credential-file', WEIGHTS.credentialFileCap);
  });

  once(ledger, rule('child-process'), () => WEIGHTS.childProcess, (a) => reason(a));
  once(ledger, rule('network'), () => WEIGHTS.network, (a) => reason(a));
  once(ledger, rule('eval'), () => WEIGHTS.eval, (a) => reason(a));
  once(ledger, rule('env-read-dynamic'), () => WEIGHTS.envDynamic, (a) => reason(a));
  once(ledger, rule('install-script'), () => WEIGHTS.installScript, (a) => reason(a));
  once(ledger, rule('dynamic-require'), () => WEIGHTS.dynamicRequire, (a) => reason(a));
  once(
    ledger,
    rule('env-write'),
    (a) => (SENSITIVE_WRITES.has(name(a.f).toUpperCase()) ? WEIGHTS.envWriteSensitive : WEIGHTS.envWrite),
    (a) => reason(a),
  );

  for (const a of perSubject(rule('env-read').filter((x) => !x.secret && !x.benign), name)) {
    ledger.award(a, WEIGHTS.envOther, reason(a), 'env-other', WEIGHTS.envOtherCap);
  }
  for (const a of rule('parse-error').sort(byRank)) {
    const base = a.f.messageId === 'skipped' ? WEIGHTS.parseErrorSkipped : WEIGHTS.parseError;
    ledger.award(a, base, reason(a), 'parse-error', WEIGHTS.parseErrorCap);
  }

  // Combinations: the highest floor decides; the first combo at that level carries the make-up points.
  const combos = findCombos(anns);
  let floor: Level = 'none';
  for (const c of combos) if (!levelAtLeast(floor, c.level)) floor = c.level;
  const base = ledger.total();
  if (floor !== 'none' && base < LEVEL_MIN[floor]) {
    const c = combos.find((x) => x.level === floor)!;
    ledger.combine(c.anchor, LEVEL_MIN[floor] - base, `combination ⇒ ${floor}: ${c.text}`);
  }

  // Critical is for what malware does (a flow out, install-time theft, hidden code, stolen
  // credential files). A build tool that merely has many capabilities (node-gyp: the whole env,
  // processes, the network) sums high but stays below critical; the cap is a ledger item too.
  // The level is a promise about evidence (report contract, "Levels"): points alone never lift a
  // package above medium; high and critical come only from the combinations above.
  const sum = ledger.total();
  const ceiling: Level = levelAtLeast(floor, 'high') ? floor : 'medium';
  const top = ceiling === 'critical' ? 100 : LEVEL_MIN[LEVELS[LEVELS.indexOf(ceiling) - 1]] - 1;
  if (sum > top) {
    ledger.capAt(top, `capped at ${ceiling}: ${ceiling === 'high' ? 'no evidence of theft (no secret reaches a sink as payload)' : 'no secret or whole environment together with a way out'}`);
  }

  const score = Math.max(0, Math.min(100, ledger.total()));
  const level = levelForScore(score);

  const reasons: Reason[] = combos.map((c, i) => ({
    // who the package is comes before what it does: an impostor's name must show in every output
    tier: c.kind === 'name-mismatch' ? 4 : c.level === 'critical' ? 3 : 2,
    points: 0,
    order: -combos.length + i,
    text: `${c.text} (${c.where})`,
  }));
  reasons.push(...groupReasons(anns, ledger));
  reasons.sort((a, b) => b.tier - a.tier || b.points - a.points || a.order - b.order);

  const sortedUnique = (xs: string[]): string[] => [...new Set(xs)].sort(cmp);
  const reads = sortedUnique(rule('env-read').map((a) => name(a.f)));
  const capabilities = sortedUnique(
    anns
      .map((a) => (a.f.runtime ? RUNTIME_CAPABILITY[a.f.runtime.kind] : ruleCapability(a.f.rule)))
      .filter((c): c is Capability => c !== null),
  ) as Capability[];

  return {
    name: unit.name,
    version: unit.version,
    location: unit.location,
    dev: unit.dev,
    optional: unit.optional,
    peer: unit.peer,
    score,
    level,
    env: {
      reads,
      secretReads: reads.filter(isSecretName),
      dynamic: anns.some((a) => a.f.rule === 'env-read-dynamic'),
      bulk: anns.some((a) => a.f.rule === 'env-bulk'),
      writes: sortedUnique(rule('env-write').map((a) => a.f.detail)),
    },
    capabilities,
    reasons: reasons.map((r) => r.text),
    findings: anns.map((a) => a.f),
    paths: unit.paths.map((p) => [...p]),
    integrity: unit.integrity,
    scoreBreakdown: ledger.items,
    warnings: [...unit.warnings],
  };
}

/** Counts per level, every level present. */
export function summarize(reports: readonly PackageReport[]): { byLevel: Record<Level, number> } {
  const byLevel = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  for (const r of reports) byLevel[r.level]++;
  return { byLevel };
}

function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const va = semver.valid(a);
  const vb = semver.valid(b);
  if (va && vb) return semver.compare(va, vb);
  return cmp(a, b);
}

/** The contract's package order: score descending, then name, then version, then location. */
export function compareReports(a: PackageReport, b: PackageReport): number {
  return b.score - a.score || cmp(a.name, b.name) || compareVersions(a.version, b.version) || cmp(a.location, b.location);
}
