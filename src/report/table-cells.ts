// The cells every terminal layout shows for a package, escaped and cut to size. Everything that
// came from a package goes through escapeUntrusted before it is measured or truncated.
import type { PackageReport } from '../model.js';
import { escapeUntrusted } from './escape.js';
import { CAPABILITY_SHORT, envNames, packageKey, truncate } from './util.js';

export const SECRET_MARK = '*';
// scan --trace: a name the traced command read too, and one only the traced command read
export const CONFIRMED_MARK = '✓';
export const RUNTIME_ONLY_MARK = '!';

/** envNames, with scan --trace's marks: runtime-only names first (the static analysis missed them). */
function tracedNames(pkg: PackageReport): string[] {
  const names = envNames(pkg, SECRET_MARK);
  if (!pkg.trace) return names;
  const status = new Map(pkg.trace.reads.map((r) => [r.name, r.status]));
  const marked = names.map((n) => {
    const bare = n.endsWith(SECRET_MARK) ? n.slice(0, -SECRET_MARK.length) : n;
    return status.get(bare) === 'confirmed' ? n + CONFIRMED_MARK : n;
  });
  const hidden = pkg.trace.reads.filter((r) => r.status === 'runtime-only').map((r) => r.name + RUNTIME_ONLY_MARK);
  return [...hidden, ...marked];
}

const PACKAGE_MAX = 50;
const ENV_NAMES_MAX = 4;
const ENV_CHARS_MAX = 56;
const REASON_MAX = 80;

/** `name@version`, with "(dev)" and, against a baseline, "[new]" or "[changed]". */
export function packageCell(pkg: PackageReport): string {
  let label = truncate(escapeUntrusted(packageKey(pkg)), PACKAGE_MAX);
  if (pkg.dev) label += ' (dev)';
  if (pkg.baseline === 'new' || pkg.baseline === 'changed') label += ` [${pkg.baseline}]`;
  return label;
}

/**
 * Markers first (the strongest signal, never dropped), then as many names as fit in
 * ENV_CHARS_MAX (secrets first), then "+N more", so a long list is cut between names, not inside one.
 */
export function envCell(pkg: PackageReport, maxChars = ENV_CHARS_MAX): string {
  const parts: string[] = [];
  if (pkg.env.bulk) parts.push('[whole env]');
  if (pkg.env.dynamic) parts.push('[dynamic]');
  const names = tracedNames(pkg).map(escapeUntrusted);
  let shown = 0;
  for (const name of names) {
    const rest = names.length - shown - 1;
    const candidate = [...parts, truncate(name, 32)].join(', ') + (rest > 0 ? ` +${rest} more` : '');
    if (shown >= ENV_NAMES_MAX || (shown > 0 && Array.from(candidate).length > maxChars)) break;
    parts.push(truncate(name, 32));
    shown++;
  }
  const text = parts.join(', ') + (names.length > shown ? ` +${names.length - shown} more` : '');
  return text || '-';
}

export function capabilitiesCell(pkg: PackageReport): string {
  return pkg.capabilities.map((c) => CAPABILITY_SHORT[c] ?? escapeUntrusted(c)).join(', ') || '-';
}

export function reasonCell(pkg: PackageReport, max = REASON_MAX): string {
  const reason = pkg.reasons[0];
  return reason === undefined ? '-' : truncate(escapeUntrusted(reason), max);
}

