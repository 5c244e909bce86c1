// Package-level linking: a call in one file to an env-reader helper exported by another file of
// the same package (openai's `readEnv('OPENAI_API_KEY')` in client.js, defined in
// internal/utils/env.js) becomes an env-read of the resolved name at the call site.
import type { FileResult, Finding } from '../../model.js';
import { message } from '../../rules/index.js';
import { applySym } from '../values.js';

export type ResolveImport = (fromFile: string, specifier: string) => string | null;

/**
 * Files the prefilter skipped that import a file exporting an env reader (or one the env is handed to). A call such as
 * `readEnv('OPENAI_API_KEY')` names no trigger word, so these get a full parse in a second round
 * (indexes into `results`); without it the read would vanish from the report.
 */
export function importersOfEnvReaders(results: FileResult[], resolve: ResolveImport): number[] {
  // files whose functions a caller elsewhere can resolve: env-reader exports, env parameters, methods
  const readerFiles = new Set(results.filter((r) => r.envReaders?.length || r.summary?.envParams || r.summary?.methods).map((r) => r.file));
  // and files a caller hands the env to (`pick(process.env)` with pick from './read'): their
  // summary says what they read from it, and a file with no trigger word was never parsed
  const envTargets = new Set<string>();
  for (const r of results) {
    for (const c of r.importedCalls ?? []) {
      const target = c.envArgs ? resolve(r.file, c.specifier) : null;
      if (target !== null) envTargets.add(target);
    }
  }
  if (readerFiles.size === 0 && envTargets.size === 0) return [];
  const out: number[] = [];
  results.forEach((r, i) => {
    if (r.prefiltered && (envTargets.has(r.file) || r.imports.some((spec) => {
      const target = resolve(r.file, spec);
      return target !== null && readerFiles.has(target);
    }))) out.push(i);
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

type Summary = NonNullable<FileResult['summary']>;

/** Methods of the package by name: their key templates, and whether one returns the env. */
type MethodParts = NonNullable<NonNullable<Summary['methods']>[number]['parts']>;
function methodIndex(results: FileResult[]): Map<string, { parts: MethodParts; returnsEnv: string | null }> {
  const index = new Map<string, { parts: MethodParts; returnsEnv: string | null }>();
  const conflicts = new Set<string>();
  for (const r of results) {
    for (const m of r.summary?.methods ?? []) {
      let entry = index.get(m.name);
      if (!entry) index.set(m.name, (entry = { parts: [], returnsEnv: null }));
      if (m.conflict) conflicts.add(m.name);
      for (const p of m.parts ?? []) entry.parts.push(p);
      if (m.returnsEnv) entry.returnsEnv ??= r.file;
    }
  }
  // a name also given to methods that read no env is not unique: calls by that name stay unresolved
  for (const name of conflicts) index.get(name)!.parts = [];
  return index;
}

/**
 * Function summaries across the files of a package: a method called on a receiver no file could
 * resolve is resolved by its name when the package defines methods of that name that build env keys
 * (the finding says so); findings made on `x.getEnv()`'s result count when a method of that name
 * returns the env; the env handed to an imported function reads what that export reads from it.
 */
export function linkSummaries(results: FileResult[], resolve: ResolveImport): Finding[] {
  const methods = methodIndex(results);
  const byFile = new Map(results.map((r) => [r.file, r]));
  const out: Finding[] = [];
  const read = (r: FileResult, at: { line: number; column: number; snippet: string }, name: string, how: string): void => {
    out.push({ ...message('env-read', 'read', { name }), file: r.file, line: at.line, column: at.column, snippet: at.snippet, message: `reads ${name} ${how}` });
  };
  for (const r of results) {
    const s = r.summary;
    for (const call of s?.methodCalls ?? []) {
      for (const parts of methods.get(call.method)?.parts ?? []) {
        const name = applySym(parts, call.args.map((a) => a ?? undefined));
        if (name !== undefined) read(r, call, name, `through .${call.method}() (resolved by method name: the receiver is not known)`);
      }
    }
    for (const { method, findings } of s?.ifReturnsEnv ?? []) {
      const where = methods.get(method)?.returnsEnv;
      if (!where) continue;
      for (const f of findings) out.push({ ...f, message: `${f.message ?? f.detail} (through .${method}(), resolved by method name: ${where} defines one that returns process.env)` });
    }
    for (const call of r.importedCalls ?? []) {
      if (!call.envArgs?.length || (call.ifReturnsEnv !== undefined && !methods.get(call.ifReturnsEnv)?.returnsEnv)) continue;
      const target = resolve(r.file, call.specifier);
      const summary = target ? byFile.get(target)?.summary : undefined;
      const params = (summary?.envParams ?? []).filter((p) => p.exportName === call.exportName && call.envArgs!.includes(p.index));
      for (const p of params) {
        for (const name of p.names) read(r, call, name, `through ${call.exportName}() from ${target}, which reads it from the env passed to it`);
      }
      // handing the env over is a bulk use unless the export is known to only read names from it
      if (params.length === 0 || params.some((p) => p.escapes)) for (const f of call.findings ?? []) out.push({ ...f });
    }
  }
  return out;
}
