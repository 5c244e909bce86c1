// install-script: lifecycle scripts that npm runs on install (preinstall, install, postinstall;
// prepare for git dependencies) and the implicit `node-gyp rebuild` of a binding.gyp. The files
// those commands run are the package's install-time entry points (see files/entry-points.ts).
import type { Finding, PackageUnit } from '../../model.js';
import { escapeUntrusted } from '../../report/escape.js';

export const meta = {
  id: 'install-script' as const,
  capability: 'install_script' as const,
  description: 'runs a lifecycle script when installed',
};

/** Where `"event":` appears in package.json text, for a line number a reviewer can jump to. */
function lineOf(pkgText: string | null, event: string): { line: number; column: number } {
  if (!pkgText) return { line: 1, column: 0 };
  const idx = pkgText.indexOf(`"${event}"`);
  if (idx < 0) return { line: 1, column: 0 };
  const before = pkgText.slice(0, idx);
  const line = before.split('\n').length;
  return { line, column: idx - before.lastIndexOf('\n') - 1 };
}

export function installScriptFindings(
  unit: PackageUnit,
  scripts: { event: string; command: string }[],
  pkgText: string | null,
): Finding[] {
  return scripts.map(({ event, command }) => {
    const pos = lineOf(pkgText, event);
    const cmd = escapeUntrusted(command.length > 200 ? command.slice(0, 200) + '…' : command);
    return {
      rule: 'install-script',
      file: 'package.json',
      line: pos.line,
      column: pos.column,
      detail: `${escapeUntrusted(event)}: ${cmd}`,
      snippet: `"${escapeUntrusted(event)}": "${cmd}"`,
      installTime: true,
      message: `npm runs "${cmd}" when ${unit.name} is installed`,
    } satisfies Finding;
  });
}
