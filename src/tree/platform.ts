// Optional platform packages (esbuild's @esbuild/linux-x64 and its siblings): every manager skips
// the ones whose os/cpu/libc do not match this machine. They are reported as "not installed for
// this platform", never as scanned packages with no files.
import type { NotInstalledPackage } from '../model.js';

function listOf(v: unknown): string[] | null {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
}

/** npm's rule: a list of allowed values, "!x" excludes x; an empty or absent list allows all. */
function allows(list: string[] | null, value: string): boolean {
  if (!list || list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  const positive = list.filter((x) => !x.startsWith('!'));
  return positive.length === 0 || positive.includes(value) || positive.includes('any');
}

/** Why a package with these os/cpu fields is not installed here, or null when it would be. */
export function platformMismatch(fields: { os?: unknown; cpu?: unknown }, platform = process.platform, arch = process.arch): string | null {
  const os = listOf(fields.os);
  const cpu = listOf(fields.cpu);
  if (allows(os, platform) && allows(cpu, arch)) return null;
  const wants = [os && `os ${os.join('/')}`, cpu && `cpu ${cpu.join('/')}`].filter(Boolean).join(', ');
  return `not installed for this platform (${wants}; this is ${platform} ${arch})`;
}

/** One entry of the report's notInstalled list: for each route to the parent, the parent's path plus the name. */
export function notInstalled(name: string, version: string, reason: string, parentPaths: string[][]): NotInstalledPackage {
  return { name, version, reason, paths: parentPaths.map((p) => [...p, name]) };
}

/** Berry's yarn.lock "conditions: os=darwin & cpu=arm64" as os/cpu lists (libc is ignored). */
export function berryConditions(conditions: unknown): { os?: string[]; cpu?: string[] } {
  const out: { os?: string[]; cpu?: string[] } = {};
  if (typeof conditions !== 'string') return out;
  for (const part of conditions.split(/[&|()]/)) {
    const m = /^\s*(os|cpu)\s*=\s*(\S+)\s*$/.exec(part);
    if (m) (out[m[1] as 'os' | 'cpu'] ??= []).push(m[2]!);
  }
  return out;
}
