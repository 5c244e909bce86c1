// One package out of a Yarn cache archive (.yarn/cache/<name>-npm-<version>-<hash>.zip), read in
// place and written under a temp folder the scan then reads like any package folder. The archive is
// hostile input: entry names that leave the folder ("../", absolute, backslashes), symlinks and
// special files are never written; sizes are checked against the real inflated bytes and capped per
// package, so a zip bomb stops at the cap with a warning instead of filling the disk.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type TransformCallback } from 'node:stream';
import yauzl from 'yauzl';

/** Real packages are far below these; a package over them is scanned as far as the cap and flagged. */
export const ZIP_LIMITS = { bytes: 512 * 1024 * 1024, entries: 100_000 };

interface ZipExtract {
  files: number;
  bytes: number;
  warnings: string[];
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** A relative path that stays inside its folder, or null. */
function safeRelative(rel: string): string | null {
  if (!rel || rel.includes('\\') || rel.includes('\0') || rel.startsWith('/') || /^[a-zA-Z]:/.test(rel)) return null;
  const parts = rel.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.')) return null;
  return parts.join('/');
}

class Budget extends Transform {
  constructor(private readonly left: { bytes: number }) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.left.bytes -= chunk.length;
    if (this.left.bytes < 0) cb(Object.assign(new Error('size cap reached'), { code: 'ENV_AUDIT_ZIP_CAP' }));
    else cb(null, chunk);
  }
}

/**
 * Write the entries under `prefix` ("node_modules/<name>/") of `zipFile` into `dest`. Never throws
 * for a bad archive: what could not be read is in the warnings (the caller shows them with the package).
 */
export async function extractZipPackage(zipFile: string, prefix: string, dest: string, label: string): Promise<ZipExtract> {
  const out: ZipExtract = { files: 0, bytes: 0, warnings: [] };
  const left = { bytes: ZIP_LIMITS.bytes };
  let zip: yauzl.ZipFile;
  fs.mkdirSync(dest, { recursive: true });
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(zipFile, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true, decodeStrings: false }, (err, z) =>
        err ? reject(err) : resolve(z),
      ),
    );
  } catch (err) {
    out.warnings.push(`${label}: the archive cannot be read (${(err as Error).message}); not scanned`);
    return out;
  }
  let entries = 0;
  const skipped: string[] = [];
  await new Promise<void>((resolve) => {
    const finish = (problem?: string): void => {
      if (problem) out.warnings.push(`${label}: ${problem}`);
      zip.close();
      resolve();
    };
    zip.on('error', (err: Error) => finish(`the archive is damaged (${err.message}); scanned as far as it could be read`));
    zip.on('end', () => finish());
    zip.on('entry', (entry: yauzl.Entry) => {
      if (++entries > ZIP_LIMITS.entries) return finish(`over ${ZIP_LIMITS.entries} entries; the rest was not scanned`);
      void writeEntry(zip, entry, prefix, dest, left, skipped, out).then(
        (stop) => (stop ? finish(stop) : zip.readEntry()),
        (err: Error) => finish(`entry could not be read (${err.message}); the rest was not scanned`),
      );
    });
    zip.readEntry();
  });
  if (skipped.length) out.warnings.push(`${label}: ${skipped.length} archive entr${skipped.length === 1 ? 'y' : 'ies'} not written (${skipped.slice(0, 3).join('; ')})`);
  return out;
}

/** One entry; returns a reason to stop reading the archive, or null to go on. */
async function writeEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  prefix: string,
  dest: string,
  left: { bytes: number },
  skipped: string[],
  out: ZipExtract,
): Promise<string | null> {
  // names are checked here, not by yauzl: its check ends the whole archive at the first bad name
  const raw = entry.fileName as unknown;
  const name = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
  if (!name.startsWith(prefix)) return null; // other packages' folders (Yarn puts one per archive)
  const isDir = name.endsWith('/');
  const rel = safeRelative(name.slice(prefix.length));
  if (rel === null) {
    if (name.slice(prefix.length) !== '') skipped.push(`unsafe name ${JSON.stringify(name)}`);
    return null;
  }
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (isDir || mode === S_IFDIR) {
    fs.mkdirSync(path.join(dest, rel), { recursive: true });
    return null;
  }
  if (mode !== 0 && mode !== S_IFREG) {
    skipped.push(`${rel} is a ${mode === 0o120000 ? 'symlink' : 'special file'}`);
    return null;
  }
  if (entry.uncompressedSize > left.bytes) return `over ${ZIP_LIMITS.bytes} bytes unpacked; the rest was not scanned`;
  const target = path.join(dest, rel);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
  try {
    // 'wx': a name seen twice (or a folder/file clash) never overwrites what was written first
    await pipeline(stream, new Budget(left), fs.createWriteStream(target, { flags: 'wx', mode: 0o644 }));
  } catch (err) {
    fs.rmSync(target, { force: true });
    if ((err as { code?: string }).code === 'ENV_AUDIT_ZIP_CAP') return `over ${ZIP_LIMITS.bytes} bytes unpacked; the rest was not scanned`;
    skipped.push(`${rel}: ${(err as Error).message}`);
    return null;
  }
  const when = entry.getLastModDate();
  if (!Number.isNaN(when.getTime())) fs.utimesSync(target, when, when);
  out.files++;
  out.bytes += entry.uncompressedSize;
  return null;
}
