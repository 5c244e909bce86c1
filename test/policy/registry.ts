// A tiny npm registry for tests, served on 127.0.0.1 by the test process: packuments and
// tarballs made from fixture package folders (a minimal ustar writer + zlib, the layout npm pack
// produces: every file under "package/"). pacote and arborist talk to it with their real HTTP
// client and protocol; nothing leaves the machine.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** One ustar header block for a regular file. */
function header(name: string, size: number): Buffer {
  const b = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  b.write(base, 0, 100, 'utf8');
  b.write(octal(0o644, 8), 100, 'ascii');
  b.write(octal(0, 8), 108, 'ascii');
  b.write(octal(0, 8), 116, 'ascii');
  b.write(octal(size, 12), 124, 'ascii');
  b.write(octal(499162500, 12), 136, 'ascii'); // npm pack's fixed mtime (1985-10-26)
  b.write('        ', 148, 'ascii');
  b.write('0', 156, 'ascii');
  b.write('ustar\0', 257, 'ascii');
  b.write('00', 263, 'ascii');
  b.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(octal(sum, 7) + ' ', 148, 'ascii');
  return b;
}

function filesOf(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...filesOf(dir, r));
    } else if (e.isFile()) out.push(r);
  }
  return out;
}

/** A gzipped tarball of a package folder, as `npm pack` lays it out. */
function packFolder(dir: string): Buffer {
  const blocks: Buffer[] = [];
  for (const rel of filesOf(dir)) {
    const data = fs.readFileSync(path.join(dir, rel));
    blocks.push(header(`package/${rel}`, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks), { level: 9 });
}

function integrityOf(data: Buffer): string {
  return 'sha512-' + crypto.createHash('sha512').update(data).digest('base64');
}

interface PublishedVersion {
  name: string;
  version: string;
  manifest: Record<string, unknown>;
  tarball: Buffer;
  integrity: string;
  /** where it is served (set once the server listens). */
  url: string;
}

export interface TestRegistry {
  /** "http://127.0.0.1:PORT/" */
  url: string;
  versions: PublishedVersion[];
  get(name: string, version: string): PublishedVersion;
  /** every request path served (to show what was fetched, and when nothing was). */
  requests: string[];
  /** serve other bytes for a tarball than the ones the integrity was computed from. */
  tamper(name: string, version: string, bytes: Buffer): void;
  close(): Promise<void>;
}

/** Publish each package folder (its package.json says name and version) and start serving. */
export async function startRegistry(folders: string[]): Promise<TestRegistry> {
  const versions: PublishedVersion[] = folders.map((dir) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    const tarball = packFolder(dir);
    return { name: String(manifest.name), version: String(manifest.version), manifest, tarball, integrity: integrityOf(tarball), url: '' };
  });
  const served = new Map<string, Buffer>();
  const requests: string[] = [];

  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent((req.url ?? '/').split('?')[0]);
    requests.push(urlPath);
    const tgz = served.get(urlPath);
    if (tgz) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tgz.length });
      res.end(tgz);
      return;
    }
    const name = urlPath.slice(1);
    const mine = versions.filter((v) => v.name === name);
    if (!mine.length) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Not found' }));
      return;
    }
    const latest = [...mine].sort((a, b) => (a.version < b.version ? 1 : -1))[0];
    const packument = {
      name,
      'dist-tags': { latest: latest.version },
      versions: Object.fromEntries(
        mine.map((v) => [
          v.version,
          {
            ...v.manifest,
            _id: `${v.name}@${v.version}`,
            dist: { tarball: v.url, integrity: v.integrity, shasum: crypto.createHash('sha1').update(v.tarball).digest('hex') },
          },
        ]),
      ),
      time: Object.fromEntries(mine.map((v) => [v.version, '2026-01-01T00:00:00.000Z'])),
    };
    const body = JSON.stringify(packument);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  for (const v of versions) {
    const base = v.name.split('/').pop();
    const p = `/${v.name}/-/${base}-${v.version}.tgz`;
    v.url = `http://127.0.0.1:${port}${p}`;
    served.set(p, v.tarball);
  }
  const get = (name: string, version: string): PublishedVersion => {
    const v = versions.find((x) => x.name === name && x.version === version);
    if (!v) throw new Error(`not published: ${name}@${version}`);
    return v;
  };
  return {
    url,
    versions,
    requests,
    get,
    tamper(name, version, bytes) {
      served.set(new URL(get(name, version).url).pathname, bytes);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Environment for a CLI child that may only use this registry, with a private npm cache. */
export function registryEnv(reg: TestRegistry, dir: string): Record<string, string> {
  const npmrc = path.join(dir, 'user-npmrc');
  if (!fs.existsSync(npmrc)) fs.writeFileSync(npmrc, '');
  return {
    npm_config_registry: reg.url,
    npm_config_cache: path.join(dir, 'npm-cache'),
    npm_config_userconfig: npmrc,
    npm_config_globalconfig: path.join(dir, 'global-npmrc'),
    npm_config_fetch_retries: '0',
    npm_config_audit: 'false',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}
