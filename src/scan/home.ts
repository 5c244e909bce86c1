// The user's home folder, or null when there is none: HOME unset (or relative) and no passwd
// entry, as in some containers and CI sandboxes. os.homedir() throws then, and a library that
// calls it while loading (@npmcli/git, under arborist and pacote) would stop the CLI before it
// could say anything, even for --version. So this runs before they load: with no home, HOME is set
// to /nonexistent (the conventional home of accounts that have none), which they only join paths
// onto; env-audit itself asks homeDir() and turns its cache off instead.
import os from 'node:os';
import path from 'node:path';

function findHome(): string | null {
  const env = process.env.HOME;
  if (env && path.isAbsolute(env)) return env;
  try {
    const h = os.homedir();
    return h && path.isAbsolute(h) ? h : null;
  } catch {
    return null;
  }
}

const home = findHome();
if (home === null) process.env.HOME = '/nonexistent';

/** The home folder found at start-up, or null when the user has none. */
export function homeDir(): string | null {
  return home;
}
