// Package-level linking: a call in one file to an env-reader helper exported by another file of
// the same package (openai's `readEnv('OPENAI_API_KEY')` in client.js, defined in
// internal/utils/env.js) becomes an env-read of the resolved name at the call site.
import type { FileResult, Finding } from '../../model.js';
import { applySym } from '../values.js';

export type ResolveImport = (fromFile: string, specifier: string) => string | null;

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
  for (const r of results) {
    for (const call of r.importedCalls ?? []) {
      const target = resolve(r.file, call.specifier);
      if (!target) continue;
      const defs = readers.get(target)?.get(call.exportName);
      if (!defs) continue;
      for (const def of defs) {
        const name = applySym(def.parts, call.args.map((a) => a ?? undefined));
        if (name === undefined) continue;
        out.push({
          rule: 'env-read',
          file: r.file,
          line: call.line,
          column: call.column,
          detail: name,
          snippet: call.snippet,
          message: `reads ${name} through ${call.exportName}() from ${target}`,
        });
      }
    }
  }
  return out;
}
