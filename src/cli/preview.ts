// `env-audit preview NAME@RANGE …`: what would this upgrade bring? For each spec, arborist builds
// the ideal tree against the project's lockfile (what `npm install NAME@RANGE` would resolve,
// new transitive packages included), pacote fetches every package version the project does not
// have yet into a temporary folder, the scan analyses them there, and the result is diffed
// against the installed tree. The project folder is never written to; nothing is executed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import '../scan/preload.js'; // before arborist and pacote load
import Arborist from '@npmcli/arborist';
import type { Level, PackageReport, Report } from '../model.js';
import { applyAllowlist } from '../policy/allowlist.js';
import { diffFailing, diffReports, renderDiffJson, renderDiffText, type ReportDiff } from '../policy/diff.js';
import { renderDiffMarkdown } from '../policy/diff-markdown.js';
import { escapeJsonText, escapeUntrusted } from '../report/escape.js';
import { runScan } from '../scan/run-scan.js';
import { npmOptions, type NpmOptions } from '../scan/lockfile.js';
import { DEFAULT_FETCH_TIMEOUT_MS, extractWithin, FetchTimeoutError } from '../scan/fetch-within.js';
import { trackTemp, untrackTemp } from '../scan/temps.js';
import { platformMismatch } from '../tree/platform.js';
import { COMMON_OPTIONS, parse, parseLevel, parseOmit, parsePositiveNumber, UsageError } from './args.js';
import { scanArgv } from './diff.js';
import { writeFileAtomic } from './write-report.js';
import { scanFromArgs } from './scan.js';

const PREVIEW_HELP = `Usage: env-audit preview NAME@RANGE … [--dir DIR] [options]

Before upgrading: fetch the version NAME@RANGE resolves to (with your npm registry, auth and proxy
settings), and the new transitive packages it would bring (arborist's ideal tree against the
project's lockfile), analyse them in a temporary folder, and diff each against the installed
tree. The project is not touched and nothing is installed or run.

Options:
  --dir DIR, -C DIR     the project (default: the current folder; needs node_modules)
  --fail-on LEVEL       exit 1 when the upgrade adds a package at or above LEVEL, or a package's
                        risk grows and it is at or above LEVEL (the allowlist applies)
  --json [FILE.json]    the diffs as JSON;  --markdown FILE   as a pull-request comment
  --all, -a             list quiet packages and version-only changes too
  --config, --omit, --no-cache, --cache-dir, --jobs, --fetch-timeout   as for scan`;

const PREVIEW_OPTIONS = { ...COMMON_OPTIONS, dir: { type: 'string', short: 'C' } } as const;

type Node = Arborist.Node;
interface IdealBuilder {
  buildIdealTree(options: { add?: string[] }): Promise<Node>;
}

function depth(location: string): number {
  return location.split('node_modules/').length - 1;
}

/** `name@range` with a name; folders, tarballs and git URLs are not previews of a release. */
function checkSpec(spec: string): string {
  const at = spec.lastIndexOf('@');
  const name = at > 0 ? spec.slice(0, at) : spec;
  const range = at > 0 ? spec.slice(at + 1) : '';
  if (!/^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/i.test(name) || /[:/\\]/.test(range)) {
    throw new UsageError(`preview takes registry specs like name@^1.2.0 (got "${spec}")`);
  }
  return name;
}

interface PreviewResult {
  spec: string;
  diff: ReportDiff;
  head: Report;
  warnings: string[];
  /** the version the spec resolves to, when the project already has exactly that one. */
  alreadyAt?: string;
}

/** One spec: ideal tree, fetch what is new, scan it, diff. */
async function previewOne(
  spec: string,
  project: string,
  base: Report,
  opts: { npm: NpmOptions; omit: ('dev' | 'optional' | 'peer')[]; cacheDir: string | null | undefined; workers?: number; allow: Parameters<typeof applyAllowlist>[1] },
): Promise<PreviewResult> {
  const arb = new Arborist({ ...opts.npm, path: project }) as unknown as IdealBuilder;
  let ideal: Node;
  try {
    ideal = await arb.buildIdealTree({ add: [spec] });
  } catch (err) {
    throw new UsageError(`preview ${spec}: could not resolve it against ${project}: ${String((err as Error).message).split('\n')[0]}`);
  }
  const installed = new Map<string, PackageReport>();
  for (const p of base.packages) installed.set(`${p.name}@${p.version}`, p);

  const omit = new Set(opts.omit);
  const nodes = [...ideal.inventory.values()].filter(
    (n) => !n.isProjectRoot && !n.isLink && !n.dummy && n.location !== '' && !n.isWorkspace &&
      !(omit.has('dev') && n.dev) && !(omit.has('optional') && n.optional) && !(omit.has('peer') && n.peer) &&
      // the ideal tree holds every platform's optional binaries; an install here leaves them out
      !platformMismatch(n.package as { os?: unknown; cpu?: unknown; libc?: unknown }),
  );
  const keyOf = (n: Node) => `${n.packageName ?? n.name}@${n.version}`;
  const fresh = nodes.filter((n) => !installed.has(keyOf(n)));
  const name = checkSpec(spec);
  const top = nodes.find((n) => n.location === `node_modules/${name}`);
  const alreadyAt = top && base.packages.some((p) => p.location === top.location && p.version === top.version) ? top.version : undefined;

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-preview-'));
  trackTemp(tmp);
  const warnings: string[] = [];
  try {
    fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify(ideal.package, null, 2));
    // a parent's extraction empties its folder: shallower locations first
    for (const d of [...new Set(fresh.map((n) => depth(n.location)))].sort((a, b) => a - b)) {
      await Promise.all(
        fresh.filter((n) => depth(n.location) === d).map(async (n) => {
          const name = n.packageName ?? n.name;
          const source = n.resolved && /^https?:\/\//i.test(n.resolved) ? n.resolved : n.version;
          try {
            await extractWithin(`${name}@${source}`, path.join(tmp, n.location), {
              ...opts.npm, integrity: n.integrity ?? undefined, resolved: n.resolved ?? undefined, ignoreScripts: true,
            }, Number(opts.npm.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS));
          } catch (err) {
            if (err instanceof FetchTimeoutError) throw new UsageError(`preview ${spec}: ${err.message}`);
            throw new UsageError(`preview ${spec}: could not fetch ${name}@${n.version}: ${String((err as Error).message).split('\n')[0]}`);
          }
        }),
      );
    }
    const scanned = fresh.length
      ? (await runScan({ root: tmp, cacheDir: opts.cacheDir, workers: opts.workers })).report.packages
      : [];
    const byLocation = new Map(scanned.map((p) => [p.location, p]));
    const candidates: PackageReport[] = [];
    for (const n of fresh) {
      const p = byLocation.get(n.location);
      if (!p) {
        warnings.push(`${n.location}: ${keyOf(n)} was fetched but could not be analysed`);
        continue;
      }
      // flags from the ideal tree: the temp folder only holds part of it
      candidates.push({ ...p, dev: n.dev, optional: n.optional, peer: n.peer });
    }
    applyAllowlist({ ...base, packages: candidates }, opts.allow);
    const kept = nodes
      .filter((n) => installed.has(keyOf(n)))
      .map((n) => installed.get(keyOf(n))!)
      .filter((p, i, all) => all.indexOf(p) === i);
    const head: Report = { ...base, packages: [...kept, ...candidates], root: { ...base.root } };
    return { spec, diff: diffReports(base, head, { base: 'installed', head: spec }), head, warnings, ...(alreadyAt ? { alreadyAt } : {}) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    untrackTemp(tmp);
  }
}

export async function previewCommand(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(PREVIEW_HELP + '\n');
    return 0;
  }
  const { values, positionals } = parse(argv, PREVIEW_OPTIONS);
  for (const flag of ['sarif', 'baseline', 'lockfile', 'include-root'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`preview does not take --${flag}`);
  }
  if (!positionals.length) throw new UsageError('preview needs at least one spec: env-audit preview stripe@^15');
  positionals.forEach(checkSpec);
  const failOnFlag = parseLevel(values['fail-on'], '--fail-on');
  const project = path.resolve(values.dir ?? '.');

  const { result, config } = await scanFromArgs([project, ...scanArgv(values), '--quiet']);
  const base = result.report;
  applyAllowlist(base, config.allow);
  const failOn: Level | undefined = failOnFlag ?? config.failOn;
  const fetchS = parsePositiveNumber(values['fetch-timeout'], '--fetch-timeout');
  const fetchTimeoutMs = fetchS === undefined ? DEFAULT_FETCH_TIMEOUT_MS : Math.round(fetchS * 1000);
  // every registry request (packuments for the ideal tree too) gives up after the timeout
  const npm = { ...npmOptions(project), timeout: fetchTimeoutMs, fetchTimeoutMs };
  const cacheDir = values['no-cache'] ? null : values['cache-dir'] ? path.resolve(values['cache-dir']) : undefined;
  const omit = values.omit ? parseOmit(values.omit) : (config.omit ?? []);

  const results: PreviewResult[] = [];
  for (const spec of positionals) {
    results.push(
      await previewOne(spec, project, base, {
        npm, omit, cacheDir, allow: config.allow,
        workers: values.jobs === undefined ? undefined : Number(values.jobs),
      }),
    );
  }

  const jsonToStdout = values.json && !values['json-file'];
  if (values.json) {
    const body = { envAuditPreview: 1, previews: results.map((r) => ({ spec: r.spec, diff: JSON.parse(renderDiffJson(r.diff)) as unknown })) };
    const json = escapeJsonText(JSON.stringify(body, null, 2)) + '\n';
    if (values['json-file']) writeFileAtomic(values['json-file'], json);
    else process.stdout.write(json);
  }
  if (values.markdown) {
    writeFileAtomic(values.markdown, results.map((r) => renderDiffMarkdown(r.diff, r.head, { title: `env-audit preview ${r.spec}` })).join('\n'));
  }
  if (!jsonToStdout && !values.quiet) {
    process.stdout.write(
      results
        .map((r) => {
          const text = renderDiffText(r.diff, { all: values.all, title: `env-audit preview ${r.spec} (against the installed tree in ${project})` });
          const name = checkSpec(r.spec);
          if (!r.alreadyAt) return text;
          // right under the title: the answer to "what would this upgrade bring?" is "nothing new"
          const cut = text.indexOf('\n') + 1;
          return `${text.slice(0, cut)}${escapeUntrusted(`${name} is already at this version (${r.alreadyAt}).`)}\n${text.slice(cut)}`;
        })
        .join('\n'),
    );
    for (const r of results) for (const w of r.warnings) process.stderr.write(`warning: ${escapeUntrusted(w)}\n`);
  }
  const failing = results.flatMap((r) => diffFailing(r.diff, failOn));
  if (failing.length) {
    if (!jsonToStdout) {
      process.stderr.write(`env-audit: the upgrade brings ${failing.length} new or grown risk${failing.length === 1 ? '' : 's'} at or above ${failOn}: ${escapeUntrusted(failing.slice(0, 5).join(', '))}${failing.length > 5 ? ', …' : ''}\n`);
    }
    return 1;
  }
  return 0;
}
