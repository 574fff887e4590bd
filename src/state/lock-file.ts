// One lock file on disk: create it exclusively, read who holds it, judge whether that holder is
// gone, remove it without ever removing somebody else's, and keep its heartbeat fresh.
// The protocol that combines exclusive and shared lock files lives in lock.ts.
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { link, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isObject } from '../util/json.js';
import { isProcessAlive } from './atomic-write.js';
import type { LockInfo } from './types.js';

export interface LockTuning {
  /** How often a holder rewrites its heartbeat. */
  heartbeat_ms: number;
  /** A heartbeat older than this means the holder is gone (it hung, or died on another host). */
  stale_ms: number;
  /** How often a waiter looks again (plus up to 50% jitter so waiters do not move in step). */
  poll_ms: number;
}

export const DEFAULT_LOCK_TUNING: LockTuning = { heartbeat_ms: 5_000, stale_ms: 30_000, poll_ms: 200 };

/** A lock file as found on disk. `info` is undefined when it cannot be parsed (being written, or damaged). */
export interface FoundLock {
  path: string;
  info: LockInfo | undefined;
  dev: number;
  ino: number;
  mtimeMs: number;
}

/**
 * Creates `path` holding `info`, only if it does not exist; undefined when it exists. The content
 * is written to a temp file first and then hard-linked into place (link fails if the lock
 * exists), so a lock file never exists without its holder's pid: a holder killed at any moment
 * leaves either no lock or a complete one that the next run can judge dead at once.
 */
export async function createLockFile(path: string, info: LockInfo): Promise<FileHandle | undefined> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const staging = await open(tmp, 'wx', 0o600);
  try {
    await staging.write(JSON.stringify(info), 0, 'utf8');
    await staging.sync();
  } finally {
    await staging.close();
  }
  try {
    await link(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  // The heartbeat rewrites the lock through this handle, on the inode we linked.
  return open(path, 'r+');
}

/** Reads a lock file; undefined when there is none. Identity comes from the same open file. */
export async function readLockFile(path: string): Promise<FoundLock | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const st = await handle.stat();
    const text = await handle.readFile('utf8');
    return { path, info: parseLockInfo(text), dev: st.dev, ino: st.ino, mtimeMs: st.mtimeMs };
  } finally {
    await handle.close();
  }
}

function parseLockInfo(text: string): LockInfo | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(v)) return undefined;
  const strings = ['id', 'host', 'user', 'command', 'created', 'heartbeat'] as const;
  if (strings.some((k) => typeof v[k] !== 'string') || typeof v['pid'] !== 'number') return undefined;
  if (v['mode'] !== 'exclusive' && v['mode'] !== 'shared') return undefined;
  return v as unknown as LockInfo;
}

/** Why the holder of `lock` is gone, or undefined when it may still be running. */
export function staleReason(lock: FoundLock, tuning: LockTuning, now = Date.now()): string | undefined {
  const { info } = lock;
  if (info === undefined) {
    // A holder writes its info right after creating the file; give it the same grace as a heartbeat.
    const age = now - lock.mtimeMs;
    return age > tuning.stale_ms ? `the lock file is unreadable and untouched for ${seconds(age)}` : undefined;
  }
  // A pid means something only in its own PID namespace: containers with host networking share
  // the hostname, not the pids. Elsewhere (or for a holder that recorded no namespace while we
  // have one) only the heartbeat tells.
  if (info.host === hostname() && info.pid_ns === pidNamespace() && !isProcessAlive(info.pid)) {
    return `process ${info.pid} is no longer running on ${info.host}`;
  }
  const beat = Date.parse(info.heartbeat);
  const age = now - (Number.isNaN(beat) ? lock.mtimeMs : beat);
  if (age > tuning.stale_ms) return `its last heartbeat was ${seconds(age)} ago (limit ${seconds(tuning.stale_ms)})`;
  return undefined;
}

let ownNamespace: string | null | undefined;

/** This process's PID namespace, `pid:[N]`; undefined where the platform has none (not Linux). */
export function pidNamespace(): string | undefined {
  if (ownNamespace === undefined) {
    try {
      ownNamespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      ownNamespace = null;
    }
  }
  return ownNamespace ?? undefined;
}

/**
 * Removes `lock` only if the file at its path is still the very file that was read. The file is
 * first renamed to a unique name, an atomic step only one remover can win; if what was moved
 * turns out to be a newer lock (someone broke the old one and locked again in between), it is
 * linked back, which fails rather than overwrite if yet another lock took the name meanwhile.
 * Returns false when the lock was already gone or had been replaced.
 */
export async function removeLockFile(lock: Pick<FoundLock, 'path' | 'dev' | 'ino'>): Promise<boolean> {
  const aside = `${lock.path}.broken-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lock.path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  const moved = await stat(aside);
  if (moved.dev !== lock.dev || moved.ino !== lock.ino) {
    await link(aside, lock.path).catch(() => undefined);
    await unlink(aside);
    return false;
  }
  await unlink(aside);
  return true;
}

/** "id (exclusive): user@host, pid N, `command`, since T (heartbeat Ns ago)". */
export function describeLock(lock: FoundLock, now = Date.now()): string {
  const { info } = lock;
  if (info === undefined) return `${lock.path} (unreadable; written ${seconds(now - lock.mtimeMs)} ago)`;
  const beat = Date.parse(info.heartbeat);
  const heartbeat = Number.isNaN(beat) ? '' : ` (heartbeat ${seconds(now - beat)} ago)`;
  return `${info.id} (${info.mode}): ${info.user}@${info.host}, pid ${info.pid}, \`${info.command}\`, since ${info.created}${heartbeat}`;
}

function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))}s`;
}
