// node_modules trees that arborist reads but that pnpm (nodeLinker: hoisted) or Yarn Berry
// (nodeLinker: node-modules) installed: their own rules decide which install scripts ran.
import fs from 'node:fs';
import path from 'node:path';
import type { PackageJson, PackageUnit } from '../model.js';
import { readYamlObject, str } from './read-manifest.js';
import { pnpmBuildPolicy, type BuildPolicy } from './pnpm-builds.js';
import { yarnBuildPolicy } from './yarn-builds.js';

function managerPolicy(root: string, rootPkg: PackageJson): BuildPolicy | null {
  const nm = path.join(root, 'node_modules');
  if (fs.existsSync(path.join(nm, '.yarn-state.yml'))) return yarnBuildPolicy(root, rootPkg);
  const modules = readYamlObject(path.join(nm, '.modules.yaml'));
  if (modules.ok) return pnpmBuildPolicy(root, rootPkg, str(modules.value.packageManager));
  return null;
}

/** Set installScripts on registry packages the manager's settings decide for; warn where they do not run. */
export function applyBuildPolicy(root: string, rootPkg: PackageJson, units: PackageUnit[], warnings: string[]): void {
  const policy = managerPolicy(root, rootPkg);
  if (!policy) return;
  for (const u of units) {
    if (u.isRoot || u.isWorkspace || u.isLink) continue;
    const decision = policy(u.name, u.version, u.pkg, u.path);
    if (!decision) continue;
    u.installScripts = decision;
    if (!decision.run) {
      u.warnings.push(decision.why);
      warnings.push(decision.why);
    }
  }
}
