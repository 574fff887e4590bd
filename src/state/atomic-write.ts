// Crash-safe replacement of a file: the new content goes to a temp file in the same folder, is
// fsynced, then renamed over the target, and the folder is fsynced so the rename itself survives
// a power cut. At every instant the target name holds either the old or the new complete file
// (terraform#34266 is what truncate-then-write does to state files). A writer killed half way
// leaves only a temp file, whose name can never be mistaken for the state.
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Identity of a file version, to notice cheaply whether someone else replaced it. */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

const TEMP_MARK = '.tmp-';

/** `<file>.tmp-<pid>-<random>`: the pid lets a later writer recognise leftovers of dead writers. */
export function tempPathFor(file: string): string {
  return `${file}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
}

export interface AtomicWriteOptions {
  /** Permission bits of the new file (umask may only narrow them). */
  mode: number;
  /** Runs after the temp file is durable and before it replaces the target (backup rotation). */
  beforeReplace?: () => Promise<void>;
}

/**
 * The one seam of a write: how the temp file is opened. Tests replace it to make the write fail
 * as a full disk does (ENOSPC half way through), which no test machine can be made to do.
 */
export const writeSeam: { open: typeof open } = { open };

export async function writeFileAtomic(file: string, text: string, opts: AtomicWriteOptions): Promise<FileIdentity> {
  const temp = tempPathFor(file);
  let identity: FileIdentity;
  const handle = await writeSeam.open(temp, 'wx', opts.mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    const st = await handle.stat();
    identity = { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
  } catch (e) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await handle.close();
  try {
    await opts.beforeReplace?.();
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await syncFolder(dirname(file));
  return identity;
}

/** Makes renames and new names in `dir` durable. Some platforms cannot fsync a folder: skip there. */
export async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw e;
  } finally {
    await handle?.close();
  }
}

/**
 * Removes temp files of `file` left by writers that were killed (their pid no longer runs).
 * Temp files of live processes are left alone: they may be mid-write.
 */
export async function removeStrayTemps(file: string): Promise<string[]> {
  const prefix = basename(file) + TEMP_MARK;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isProcessAlive(pid)) continue;
    const path = join(dirname(file), name);
    await unlink(path).then(() => removed.push(path), () => undefined);
  }
  return removed;
}

/** True unless the OS says no such process. EPERM means it exists but belongs to someone else. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
