// Temp files and folders the CLI is responsible for (report temp files, unpacked lockfile and
// preview trees), removed on SIGINT/SIGTERM too: an interrupted CI job must not leave
// /tmp/env-audit-* trees or half-written reports behind. Removal is synchronous, so it finishes
// before the process exits with the signal's conventional code (128 + signal number).
import fs from 'node:fs';

const temps = new Set<string>();
let installed = false;

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export function trackTemp(p: string): void {
  temps.add(p);
}

export function untrackTemp(p: string): void {
  temps.delete(p);
}

/** Remove every tracked temp path now (best effort). */
function removeTemps(): void {
  for (const p of temps) {
    try {
      fs.rmSync(p, { recursive: true, force: true });
    } catch {
      // already gone, or not ours to remove any more
    }
  }
  temps.clear();
}

/** Install the signal handlers once (the CLI only: a library must not own the process's signals). */
export function cleanUpOnSignals(): void {
  if (installed) return;
  installed = true;
  for (const sig of Object.keys(SIGNAL_EXIT)) {
    process.on(sig, () => {
      removeTemps();
      process.stderr.write(`env-audit: interrupted (${sig}); temporary files removed\n`);
      process.exit(SIGNAL_EXIT[sig]);
    });
  }
}
