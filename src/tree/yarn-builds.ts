// Which dependencies' install scripts Yarn Berry runs: all, unless .yarnrc.yml sets
// enableScripts: false or the project's dependenciesMeta says built: false for the package.
import path from 'node:path';
import type { PackageJson } from '../model.js';
import { isObject, readYamlObject, str } from './read-manifest.js';
import type { BuildPolicy } from './pnpm-builds.js';

export function yarnBuildPolicy(root: string, rootPkg: PackageJson): BuildPolicy {
  const rc = readYamlObject(path.join(root, '.yarnrc.yml'));
  const enableScripts = !(rc.ok && rc.value.enableScripts === false);
  return (name, _version, pkg) => {
    const scripts = isObject(pkg.scripts) ? pkg.scripts : {};
    const events = ['preinstall', 'install', 'postinstall'].filter((e) => str(scripts[e]));
    if (!events.length) return null;
    const what = `${events.join(', ')} of ${name}`;
    if (!enableScripts) return { run: false, why: `Yarn does not run the ${what}: enableScripts is false (.yarnrc.yml)` };
    const meta = isObject(rootPkg.dependenciesMeta) ? rootPkg.dependenciesMeta[name] : undefined;
    if (isObject(meta) && meta.built === false) return { run: false, why: `Yarn does not run the ${what}: dependenciesMeta.${name}.built is false` };
    return null;
  };
}
