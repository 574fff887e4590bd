// Locking a state file so two runs never apply at once, while several read-only `drift` runs may.
//
// - Exclusive: `<state>.lock`, created with O_EXCL. Only one can exist.
// - Shared: `<state>.lock.shared.<id>`, one file per reader, so readers never contend.
// Each side first creates its own file and then looks for the other side's (Dekker style): since
// every step is an atomic filesystem operation, at least one of two racing parties sees the other.
// A reader that finds a writer withdraws and waits; a writer that finds readers keeps its file
// (so no new reader can start) and waits for them to finish, which is why writers cannot starve.
// Lock files of dead processes or with an expired heartbeat are broken with a warning.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImagectlError } from '../util/errors.js';
import { HeldLock } from './held-lock.js';
import {
  createLockFile, describeLock, pidNamespace, readLockFile, removeLockFile, staleReason, type FoundLock, type LockTuning,
} from './lock-file.js';
import type { Lock, LockInfo, LockOptions } from './types.js';

export const lockPathFor = (statePath: string): string => `${statePath}.lock`;
const sharedPrefix = (statePath: string): string => `${basename(statePath)}.lock.shared.`;
export const sharedLockPathFor = (statePath: string, id: string): string =>
  join(dirname(statePath), sharedPrefix(statePath) + id);

export async function acquireLock(statePath: string, opts: LockOptions, tuning: LockTuning): Promise<Lock> {
  await mkdir(dirname(statePath), { recursive: true, mode: 0o700 });
  const now = new Date().toISOString();
  const ns = pidNamespace();
  const info: LockInfo = {
    id: randomUUID(), pid: process.pid, host: hostname(), user: currentUser(),
    command: opts.command, created: now, heartbeat: now, mode: opts.mode, ...(ns === undefined ? {} : { pid_ns: ns }),
  };
  const ctx: Waiting = { statePath, opts, tuning, deadline: Date.now() + opts.timeout_ms, waited: false };
  return opts.mode === 'exclusive' ? acquireExclusive(ctx, info) : acquireShared(ctx, info);
}

interface Waiting {
  statePath: string;
  opts: LockOptions;
  tuning: LockTuning;
  deadline: number;
  waited: boolean;
}

async function acquireExclusive(ctx: Waiting, info: LockInfo): Promise<Lock> {
  const path = lockPathFor(ctx.statePath);
  for (;;) {
    const handle = await createLockFile(path, info);
    if (handle !== undefined) {
      const st = await handle.stat();
      const lock = new HeldLock(path, handle, { dev: st.dev, ino: st.ino }, info, ctx.tuning, warnOf(ctx.opts), `state file ${ctx.statePath}`);
      // Keep our file while readers drain: it stops new readers from starting.
      try {
        for (;;) {
          const readers = await liveHolders(ctx, await sharedLocks(ctx.statePath));
          if (readers.length === 0) return lock;
          await waitOrFail(ctx, readers);
        }
      } catch (e) {
        await lock.release();
        throw e;
      }
    }
    const holder = await readLockFile(path);
    if (holder === undefined) continue; // released between our attempt and our look: try again
    if ((await liveHolders(ctx, [holder])).length > 0) await waitOrFail(ctx, [holder]);
  }
}

async function acquireShared(ctx: Waiting, info: LockInfo): Promise<Lock> {
  const path = sharedLockPathFor(ctx.statePath, info.id);
  for (;;) {
    const handle = await createLockFile(path, info);
    if (handle === undefined) throw new Error(`shared lock file ${path} already exists`); // ids are UUIDs
    const st = await handle.stat();
    const lock = new HeldLock(path, handle, { dev: st.dev, ino: st.ino }, info, ctx.tuning, warnOf(ctx.opts), `state file ${ctx.statePath}`);
    let writers: FoundLock[];
    try {
      const writer = await readLockFile(lockPathFor(ctx.statePath));
      writers = writer === undefined ? [] : await liveHolders(ctx, [writer]);
    } catch (e) {
      await lock.release();
      throw e;
    }
    if (writers.length === 0) return lock;
    // Withdraw while waiting: a writer holding its file waits for readers, so staying would deadlock.
    await lock.release();
    await waitOrFail(ctx, writers);
  }
}

/** Filters out holders that are gone, breaking their lock files (with a warning) on the way. */
async function liveHolders(ctx: Waiting, locks: FoundLock[]): Promise<FoundLock[]> {
  const live: FoundLock[] = [];
  for (const lock of locks) {
    const reason = staleReason(lock, ctx.tuning);
    if (reason === undefined) {
      live.push(lock);
      continue;
    }
    // If another waiter broke it first, removeLockFile returns false and only that waiter warns.
    if (await removeLockFile(lock)) {
      warnOf(ctx.opts)(`broke the stale lock on ${ctx.statePath} held by ${describeLock(lock)}: ${reason}`);
    }
  }
  return live;
}

async function sharedLocks(statePath: string): Promise<FoundLock[]> {
  const prefix = sharedPrefix(statePath);
  const names = (await readdir(dirname(statePath))).filter((n) => n.startsWith(prefix) && !n.includes('.broken-'));
  const found = await Promise.all(names.map((n) => readLockFile(join(dirname(statePath), n))));
  return found.filter((f): f is FoundLock => f !== undefined);
}

/** Sleeps one poll interval, or throws STATE_LOCKED naming the holders once the deadline passed. */
async function waitOrFail(ctx: Waiting, holders: FoundLock[]): Promise<void> {
  const remaining = ctx.deadline - Date.now();
  if (remaining <= 0) throw lockedError(ctx, holders);
  ctx.waited = true;
  const jitter = Math.random() * ctx.tuning.poll_ms * 0.5;
  await sleep(Math.min(remaining, ctx.tuning.poll_ms + jitter));
}

function lockedError(ctx: Waiting, holders: FoundLock[]): ImagectlError {
  const { statePath, opts } = ctx;
  const waited = ctx.waited ? ` still locked after waiting ${(opts.timeout_ms / 1000).toFixed(opts.timeout_ms < 10_000 ? 1 : 0)}s` : ' locked';
  const id = holders.find((h) => h.info !== undefined)?.info?.id;
  const lines = holders.map((h) => `  ${describeLock(h)}`).join('\n');
  const howToBreak = id === undefined
    ? `If no imagectl run is writing it, remove ${holders[0]?.path ?? lockPathFor(statePath)} by hand`
    : `If that run is no longer running, break the lock with \`imagectl state unlock ${id}\``;
  return new ImagectlError(
    'STATE_LOCKED',
    `state file ${statePath} is${waited} by another imagectl run:\n${lines}\n${howToBreak}, or wait for it with --lock-timeout.`,
    { origin: 'user' },
  );
}

/**
 * Breaks the lock with this id (exclusive or shared), as `imagectl state unlock ID` does. A holder
 * that still looks alive (its pid runs here, or its heartbeat is fresh) is refused unless `force`:
 * breaking a live run's lock would let two runs write one state.
 */
export async function unlockById(statePath: string, id: string, force: boolean, tuning: LockTuning): Promise<void> {
  const exclusive = await readLockFile(lockPathFor(statePath));
  let target = exclusive?.info?.id === id ? exclusive : undefined;
  // Ids become file names: accept only what randomUUID makes, so an id can never name another path.
  if (target === undefined && /^[0-9a-zA-Z-]+$/.test(id)) target = await readLockFile(sharedLockPathFor(statePath, id));
  if (target !== undefined) {
    if (!force && staleReason(target, tuning) === undefined) {
      throw new ImagectlError(
        'LOCK_HELD',
        `lock ${id} on state file ${statePath} is held by a run that looks alive: ${describeLock(target)}.\n` +
          'Breaking it would let two runs change one state. Wait for that run or stop it; if it is stuck or its machine is ' +
          `gone, \`imagectl state unlock ${id} --force\` breaks the lock, and that run stops at its next state write or cloud call.`,
        { origin: 'user' },
      );
    }
    if (await removeLockFile(target)) return;
  }
  const holders = [...(exclusive ? [exclusive] : []), ...(await sharedLocks(statePath).catch(() => []))];
  const now = holders.length === 0
    ? 'it is not locked'
    : `it is locked by:\n${holders.map((h) => `  ${describeLock(h)}`).join('\n')}`;
  throw new ImagectlError('LOCK_NOT_FOUND', `no lock with id ${id} on state file ${statePath}; ${now}`, { origin: 'user' });
}

function warnOf(opts: LockOptions): (message: string) => void {
  return opts.warn ?? (() => undefined);
}

/** userInfo() throws when the uid has no passwd entry, as in some containers. */
function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'] ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}
