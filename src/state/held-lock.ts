// A lock this process holds: keeps its heartbeat fresh so waiters can tell a slow run from a
// dead one, notices if another process broke it (assertHeld, before every state write and every
// mutating cloud call), and releases it exactly once.
import type { FileHandle } from 'node:fs/promises';
import { stat } from 'node:fs/promises';
import { describeLock, readLockFile, removeLockFile, type LockTuning } from './lock-file.js';
import { lockLostError } from './lock-lost.js';
import type { Lock, LockInfo } from './types.js';

export class HeldLock implements Lock {
  readonly info: LockInfo;
  private readonly timer: NodeJS.Timeout;
  private beat: Promise<void> = Promise.resolve();
  private released = false;
  private lost = false;

  constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
    private readonly identity: { dev: number; ino: number },
    info: LockInfo,
    tuning: LockTuning,
    private readonly warn: (message: string) => void,
    /** "state file .imagectl/state.json", for messages. */
    private readonly where: string,
  ) {
    this.info = { ...info };
    this.timer = setInterval(() => {
      this.beat = this.beat.then(() => this.heartbeat());
    }, tuning.heartbeat_ms);
    // The heartbeat must never be what keeps a finished command alive.
    this.timer.unref();
  }

  /**
   * Rewrites the file in place through the handle opened when the lock was created: if another
   * process broke the lock, the write lands in the moved-aside file, never in a newer lock. The
   * ISO timestamp has a fixed length, so the rewrite is the same size and never leaves a short file.
   */
  private async heartbeat(): Promise<void> {
    if (this.released || this.lost) return;
    this.info.heartbeat = new Date().toISOString();
    const text = Buffer.from(JSON.stringify(this.info), 'utf8');
    try {
      await this.handle.write(text, 0, text.length, 0);
      await this.handle.truncate(text.length);
      const st = await stat(this.path).catch(() => undefined);
      if (st === undefined || st.dev !== this.identity.dev || st.ino !== this.identity.ino) {
        this.lost = true;
        this.warn(`lock ${this.info.id} on ${this.path} was broken by another process; this run no longer holds it`);
      }
    } catch {
      // A failed heartbeat only ages the lock; waiters will break it once it is stale.
    }
  }

  /**
   * The file at the lock's path must still be the very file this run created. This process keeps
   * it open, so its inode cannot be reused by a newer lock: same dev and inode means still ours.
   * A waiter that broke it (our heartbeat looked stale while we were paused) renamed it aside.
   */
  async assertHeld(): Promise<void> {
    if (this.released) throw lockLostError(this.info.id, this.where, 'it was already released');
    if (!this.lost) {
      const st = await stat(this.path).catch(() => undefined);
      if (st !== undefined && st.dev === this.identity.dev && st.ino === this.identity.ino) return;
      this.lost = true;
    }
    const now = await readLockFile(this.path).catch(() => undefined);
    const by = now === undefined ? 'nobody holds it now' : `held now by ${describeLock(now)}`;
    throw lockLostError(this.info.id, this.where, `it was broken by another process (${by})`);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.beat;
    // Only our own file: if the lock was broken and taken by someone else, theirs stays. The handle
    // stays open until then, so our inode cannot be reused by a newer lock file meanwhile, and
    // the stat first spares a newer holder's file even the brief rename aside of removeLockFile.
    try {
      if (this.lost) return;
      const st = await stat(this.path).catch(() => undefined);
      if (st?.dev === this.identity.dev && st.ino === this.identity.ino) await removeLockFile({ path: this.path, ...this.identity });
    } finally {
      await this.handle.close();
    }
  }
}
