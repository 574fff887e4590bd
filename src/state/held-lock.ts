// A lock this process holds: keeps its heartbeat fresh so waiters can tell a slow run from a
// dead one, notices if another process broke it, and releases it exactly once.
import type { FileHandle } from 'node:fs/promises';
import { stat } from 'node:fs/promises';
import { removeLockFile, type LockTuning } from './lock-file.js';
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

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.beat;
    await this.handle.close();
    // Only our own file: if the lock was broken and taken by someone else, theirs stays.
    if (!this.lost) await removeLockFile({ path: this.path, ...this.identity });
  }
}
