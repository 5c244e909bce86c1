// Files that must not be read whole: reading a FIFO blocks until a writer comes (never), and a
// device like /dev/zero or /dev/urandom never ends. Package files are plain files in any real
// install, but a symlink to a device can come from git, and a local tree can hold anything.
import fs from 'node:fs';

/** 'a FIFO', 'a device' or 'a socket' when p (links followed) is one; null otherwise, missing included. */
export function specialFileKind(p: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return null; // missing or unreadable: reading it fails fast, and is reported where it is read
  }
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return null;
}
