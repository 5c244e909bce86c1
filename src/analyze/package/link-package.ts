// Package-level linking: a call in one file to an env-reader helper exported by another file of
// the same package (openai's `readEnv('OPENAI_API_KEY')` in client.js, defined in
// internal/utils/env.js) becomes an env-read of the resolved name at the call site.
import type { FileResult, Finding } from '../../model.js';
import { message } from '../../rules/index.js';
import { applySym } from '../values.js';

export type ResolveImport = (fromFile: string, specifier: string) => string | null;

/**
 * Files the prefilter skipped that import a file exporting an env reader. A call such as
 * `readEnv('OPENAI_API_KEY')` names no trigger word, so these get a full parse in a second round
 * (indexes into `results`); without it the read would vanish from the report.
 */
export function importersOfEnvReaders(results: FileResult[], resolve: ResolveImport): number[] {
  const readerFiles = new Set(results.filter((r) => r.envReaders?.length).map((r) => r.file));
  if (readerFiles.size === 0) return [];
  const out: number[] = [];
  results.forEach((r, i) => {
    if (r.prefiltered && r.imports.some((spec) => {
      const target = resolve(r.file, spec);
      return target !== null && readerFiles.has(target);
    })) out.push(i);
  });
  return out;
}

export function linkEnvReaders(results: FileResult[], resolve: ResolveImport): Finding[] {
  const readers = new Map<string, Map<string, FileResult['envReaders'] & object>>();
  for (const r of results) {
    if (!r.envReaders?.length) continue;
    const byName = new Map<string, NonNullable<FileResult['envReaders']>>();
    for (const e of r.envReaders) byName.set(e.exportName, [...(byName.get(e.exportName) ?? []), e]);
    readers.set(r.file, byName);
  }
  if (readers.size === 0) return [];
  const out: Finding[] = [];
  // one helper exported under two names is one read: identify it by where it reads (results may
  // come from the cache as JSON, so object identity is not available)
  const helperKey = (file: string, def: NonNullable<FileResult['envReaders']>[number]): string => {
    const f = def.unresolved?.[0];
    return f ? `${file}\0${f.line}\0${f.column}` : `${file}\0${def.exportName}`;
  };
  const linked = new Set<string>();
  for (const r of results) {
    for (const call of r.importedCalls ?? []) {
      const target = resolve(r.file, call.specifier);
      if (!target) continue;
      const defs = readers.get(target)?.get(call.exportName);
      if (!defs) continue;
      for (const def of defs) {
        const name = applySym(def.parts, call.args.map((a) => a ?? undefined));
        if (name === undefined) continue;
        linked.add(helperKey(target, def));
        out.push({
          ...message('env-read', 'read', { name }),
          file: r.file,
          line: call.line,
          column: call.column,
          snippet: call.snippet,
          message: `reads ${name} through ${call.exportName}() from ${target}`,
        });
      }
    }
  }
  // a reader no file of the package calls with a constant reads what its users name
  const seen = new Set<string>();
  for (const [file, byName] of readers) {
    for (const defs of byName.values()) {
      for (const def of defs) {
        if (linked.has(helperKey(file, def))) continue;
        for (const f of def.unresolved ?? []) {
          const key = `${f.rule}\0${f.file}\0${f.line}\0${f.column}\0${f.detail}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ ...f });
        }
      }
    }
  }
  return out;
}
