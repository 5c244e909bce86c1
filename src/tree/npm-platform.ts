// For node_modules trees (npm, Yarn classic, Yarn Berry node-modules): optional dependencies that
// the install left out, with the reason the project's lockfile gives (its os/cpu fields, or Berry's
// "conditions"). Yarn classic's lockfile records neither, so its reason stays general.
import path from 'node:path';
import type Arborist from '@npmcli/arborist';
import type { NotInstalledPackage } from '../model.js';
import { isObject, readJsonObject, readYamlObject, str } from './read-manifest.js';
import { berryConditions, notInstalled, platformMismatch } from './platform.js';
import type { NameOf } from './paths.js';

type Node = Arborist.Node;

interface Locked {
  version: string;
  os?: unknown;
  cpu?: unknown;
  libc?: unknown;
}

/** Locked packages by name, from package-lock.json / npm-shrinkwrap.json or a Berry yarn.lock. */
function lockedByName(root: string): Map<string, Locked[]> | null {
  const out = new Map<string, Locked[]>();
  const add = (name: string, l: Locked): void => {
    out.set(name, [...(out.get(name) ?? []), l]);
  };
  for (const f of ['npm-shrinkwrap.json', 'package-lock.json', 'node_modules/.package-lock.json']) {
    const r = readJsonObject(path.join(root, f));
    if (!r.ok || !isObject(r.value.packages)) continue;
    for (const [key, e] of Object.entries(r.value.packages)) {
      if (!isObject(e) || !key.includes('node_modules/')) continue;
      add(str(e.name) ?? key.slice(key.lastIndexOf('node_modules/') + 13), { version: str(e.version) ?? '', os: e.os, cpu: e.cpu, libc: e.libc });
    }
    return out;
  }
  const berry = readYamlObject(path.join(root, 'yarn.lock'));
  if (!berry.ok || !isObject(berry.value.__metadata)) return null;
  for (const [key, e] of Object.entries(berry.value)) {
    if (key === '__metadata' || !isObject(e)) continue;
    const resolution = str(e.resolution) ?? '';
    const name = resolution.slice(0, resolution.indexOf('@', 1));
    if (name) add(name, { version: str(e.version) ?? '', ...berryConditions(e.conditions) });
  }
  return out;
}

export function npmNotInstalled(root: string, rootNode: Node, paths: Map<Node, string[][]>, nameOf: NameOf): NotInstalledPackage[] {
  let locked: Map<string, Locked[]> | null | undefined;
  const out: NotInstalledPackage[] = [];
  const seen = new Set<string>();
  for (const node of [rootNode, ...rootNode.inventory.values()]) {
    if (node.isLink || node.dummy) continue;
    for (const edge of node.edgesOut.values()) {
      if (edge.to || edge.type !== 'optional') continue;
      locked ??= lockedByName(root);
      const candidates = locked?.get(edge.name) ?? [];
      const hit = candidates.find((c) => platformMismatch(c));
      const parents = paths.get(node) ?? [[nameOf(node)]];
      const reason = hit
        ? platformMismatch(hit)!
        : candidates.length
          ? 'optional dependency not installed here (its lockfile entry names no other platform)'
          : 'optional dependency not installed here (the lockfile does not say why; usually not for this platform)';
      const entry = notInstalled(edge.name, hit?.version ?? candidates[0]?.version ?? '', reason, parents);
      const key = JSON.stringify(entry);
      if (!seen.has(key)) out.push(entry);
      seen.add(key);
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
