// Which dependencies' install scripts pnpm runs. pnpm 10 runs none unless the project lists the
// package in onlyBuiltDependencies (or sets dangerouslyAllowAllBuilds); older pnpm runs all but
// those in neverBuiltDependencies. The settings live in package.json "pnpm" and pnpm-workspace.yaml.
import fs from 'node:fs';
import path from 'node:path';
import type { PackageJson, PackageUnit } from '../model.js';
import { isObject, readYamlObject, str } from './read-manifest.js';

export type BuildPolicy = (name: string, version: string, pkg: PackageJson, dir: string) => PackageUnit['installScripts'] | null;

interface Settings {
  only: string[] | null;
  never: string[];
  ignored: string[];
  allowAll: boolean;
  /** where the settings were found, for the message. */
  source: string;
}

function strings(v: unknown): string[] | null {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
}

function readSettings(root: string, rootPkg: PackageJson): Settings {
  const fromPkg = isObject(rootPkg.pnpm) ? rootPkg.pnpm : {};
  const ws = readYamlObject(path.join(root, 'pnpm-workspace.yaml'));
  const fromWs = ws.ok ? ws.value : {};
  const pick = (k: string): unknown => fromWs[k] ?? fromPkg[k];
  const sources = [ws.ok ? 'pnpm-workspace.yaml' : null, Object.keys(fromPkg).length ? 'package.json "pnpm"' : null].filter(Boolean);
  return {
    only: strings(pick('onlyBuiltDependencies')),
    never: strings(pick('neverBuiltDependencies')) ?? [],
    ignored: strings(pick('ignoredBuiltDependencies')) ?? [],
    allowAll: pick('dangerouslyAllowAllBuilds') === true,
    source: sources.join(' and ') || 'no pnpm settings in the project',
  };
}

/** "esbuild", "esbuild@0.25.0" or "esbuild@0.25.0 || 0.26.0": does the entry name this package? */
function listed(list: string[], name: string, version: string): boolean {
  return list.some((entry) => {
    if (entry === name) return true;
    if (!entry.startsWith(`${name}@`)) return false;
    return entry.slice(name.length + 1).split('||').some((v) => v.trim() === version);
  });
}

/** The install events pnpm would run for this package (binding.gyp means an implicit install). */
function scriptEvents(pkg: PackageJson, dir: string): string[] {
  const scripts = isObject(pkg.scripts) ? pkg.scripts : {};
  const events = ['preinstall', 'install', 'postinstall'].filter((e) => str(scripts[e]));
  if (!events.includes('install') && !events.includes('preinstall') && fs.existsSync(path.join(dir, 'binding.gyp'))) events.push('install (binding.gyp)');
  return events;
}

export function pnpmBuildPolicy(root: string, rootPkg: PackageJson, packageManager: string | null): BuildPolicy {
  const s = readSettings(root, rootPkg);
  const major = Number(/^pnpm@(\d+)/.exec(packageManager ?? '')?.[1] ?? NaN);
  return (name, version, pkg, dir) => {
    const events = scriptEvents(pkg, dir);
    if (!events.length) return null;
    const what = `${events.join(', ')} of ${name}`;
    if (listed(s.never, name, version)) return { run: false, why: `pnpm does not run the ${what}: listed in neverBuiltDependencies (${s.source})` };
    if (listed(s.ignored, name, version)) return { run: false, why: `pnpm does not run the ${what}: listed in ignoredBuiltDependencies (${s.source})` };
    if (s.only) {
      return listed(s.only, name, version)
        ? { run: true, why: `pnpm runs the ${what}: listed in onlyBuiltDependencies (${s.source})` }
        : { run: false, why: `pnpm does not run the ${what}: not in onlyBuiltDependencies (${s.source}); \`pnpm approve-builds\` would add it` };
    }
    if (s.allowAll) return { run: true, why: `pnpm runs the ${what}: dangerouslyAllowAllBuilds is set (${s.source})` };
    if (major >= 10) {
      return { run: false, why: `pnpm ${major} does not run the ${what}: no onlyBuiltDependencies lists it (${s.source}); \`pnpm approve-builds\` would add it` };
    }
    return null; // pnpm 9 and older (or unknown): scripts run as with npm
  };
}
