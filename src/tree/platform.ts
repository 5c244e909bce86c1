// Optional platform packages (esbuild's @esbuild/linux-x64 and its siblings): every manager skips
// the ones whose os/cpu/libc do not match this machine. They are reported as "not installed for
// this platform", never as scanned packages with no files.
import type { NotInstalledPackage } from '../model.js';

function listOf(v: unknown): string[] | null {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v) : null;
}

/** npm's rule: a list of allowed values, "!x" excludes x; an empty or absent list allows all. */
function allows(list: string[] | null, value: string): boolean {
  if (!list || list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  const positive = list.filter((x) => !x.startsWith('!'));
  return positive.length === 0 || positive.includes(value) || positive.includes('any');
}

let libcCache: string | null | undefined;

/** 'glibc' or 'musl' on Linux (as npm tells them: glibc reports its version), null elsewhere. */
function currentLibc(): string | null {
  if (libcCache === undefined) {
    if (process.platform !== 'linux') libcCache = null;
    else {
      const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
      libcCache = header?.glibcVersionRuntime ? 'glibc' : 'musl';
    }
  }
  return libcCache;
}

/** Why a package with these os/cpu/libc fields is not installed here, or null when it would be. */
export function platformMismatch(
  fields: { os?: unknown; cpu?: unknown; libc?: unknown },
  platform: string = process.platform,
  arch: string = process.arch,
  libc: string | null = currentLibc(),
): string | null {
  const os = listOf(fields.os);
  const cpu = listOf(fields.cpu);
  // npm checks libc on Linux only
  const lc = platform === 'linux' && libc ? listOf(fields.libc) : null;
  if (allows(os, platform) && allows(cpu, arch) && (!lc || allows(lc, libc!))) return null;
  const wants = [os && `os ${os.join('/')}`, cpu && `cpu ${cpu.join('/')}`, lc && !allows(lc, libc!) && `libc ${lc.join('/')}`].filter(Boolean).join(', ');
  const here = `${platform} ${arch}${lc && !allows(lc, libc!) ? ` ${libc}` : ''}`;
  return `not installed for this platform (${wants}; this is ${here})`;
}

/** One entry of the report's notInstalled list: for each route to the parent, the parent's path plus the name. */
export function notInstalled(name: string, version: string, reason: string, parentPaths: string[][]): NotInstalledPackage {
  return { name, version, reason, paths: parentPaths.map((p) => [...p, name]) };
}

/** Berry's yarn.lock "conditions: os=linux & cpu=x64 & libc=musl" as os/cpu/libc lists. */
export function berryConditions(conditions: unknown): { os?: string[]; cpu?: string[]; libc?: string[] } {
  const out: { os?: string[]; cpu?: string[]; libc?: string[] } = {};
  if (typeof conditions !== 'string') return out;
  for (const part of conditions.split(/[&|()]/)) {
    const m = /^\s*(os|cpu|libc)\s*=\s*(\S+)\s*$/.exec(part);
    if (m) (out[m[1] as 'os' | 'cpu' | 'libc'] ??= []).push(m[2]);
  }
  return out;
}
