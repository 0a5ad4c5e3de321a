// A root process (the helper through sudo or pkexec) that opens a user's recording must leave nothing
// of its own in the user's folder: SQLite makes the -wal and -shm files (and the WebAssembly engine
// its lock files) as whoever opens the database, and a root-owned -shm would lock the user's own
// recorder out. So after opening (and after each write), side files root made are given to the
// database file's owner, with the database file's mode.
import { chownSync, chmodSync, lstatSync, statSync } from 'node:fs';

export const SIDE_SUFFIXES = ['-wal', '-shm', '-journal', '.lock-owner'] as const;

/** Gives the side files of `path` that this (root) process owns to the file's owner. Nothing to do when not root. */
export function adoptSideFiles(path: string): void {
  if (process.geteuid?.() !== 0) return;
  let owner: { uid: number; gid: number; mode: number };
  try { owner = statSync(path); } catch { return; }
  if (owner.uid === 0) return;
  for (const suffix of SIDE_SUFFIXES) {
    const side = path + suffix;
    try {
      const st = lstatSync(side);
      if (!st.isFile() || st.uid !== 0) continue;
      chownSync(side, owner.uid, owner.gid);
      chmodSync(side, owner.mode & 0o600);
    } catch { /* absent, or gone meanwhile */ }
  }
}
