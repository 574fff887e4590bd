// The applier's only way to change state: every mutation goes through here, is applied to the
// in-memory state and written (atomically, by the store), one write at a time. An intent is
// journaled before each mutating call, so a crash at any moment leaves a record of what may have
// happened in the cloud.
//
// Group commit: every write re-serialises the whole state, so one write per mutation costs
// thousands of whole-file writes for 1,000 creates. Mutations that arrive while a write is in
// flight (or in the same event-loop turn) are merged into the next single write, and each
// caller's promise resolves only once a write that contains its mutation is durable: an intent
// is still on disk before its mutating call starts.
import { randomUUID } from 'node:crypto';
import type { Intent, StateFile, StateResource, StateStore } from '../state/types.js';

export class Journal {
  /** Every mutation so far, written or not. */
  private current: StateFile;
  /** Callers whose mutation is in `current` but in no finished write yet. */
  private waiting: { resolve: (s: StateFile) => void; reject: (e: unknown) => void }[] = [];
  private writing = false;
  /** The state object edit() may still change in place; never one handed to the store. */
  private draft: StateFile | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: StateStore,
    initial: StateFile,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.current = initial;
  }

  get state(): StateFile {
    return this.current;
  }

  /**
   * Apply a pure mutation now and persist it; resolves once a write containing it is durable.
   * A failed write rejects every caller it carried; their changes stay in memory and go out with
   * the next write (an intent recorded late is resolved by the next run's recovery).
   */
  mutate(change: (s: StateFile) => StateFile): Promise<StateFile> {
    let next: StateFile;
    try {
      next = change(this.current);
    } catch (e) {
      return Promise.reject(e);
    }
    this.current = next;
    const done = new Promise<StateFile>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (!this.writing) this.flushing = this.flush();
    return done;
  }

  /** Resolves once every mutation made so far has been written (or its write has failed). */
  async idle(): Promise<void> {
    while (this.writing) await this.flushing;
  }

  /** Writes until no caller waits; one write carries every mutation made before it started. */
  private async flush(): Promise<void> {
    this.writing = true;
    // One event-loop turn: mutations from the same burst of completions share the write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0);
      const snapshot = this.current;
      this.draft = undefined; // from now on the store may hold it: later edits copy first
      try {
        const written = await this.store.write(snapshot);
        this.current = this.current === snapshot ? written : { ...this.current, serial: written.serial };
        for (const w of batch) w.resolve(written);
      } catch (e) {
        for (const w of batch) w.reject(e);
      }
    }
    this.writing = false;
  }

  async begin(intent: Omit<Intent, 'op_id' | 'started_at'>): Promise<Intent> {
    const full: Intent = { ...intent, op_id: randomUUID(), started_at: this.now() };
    await this.edit((_resources, pending) => (pending[full.op_id] = full));
    return full;
  }

  /**
   * Drivers call this from a callback, without waiting, so it never rejects: an unhandled
   * rejection would kill the process with a raw trace and keep the lock (a full disk, a lost
   * lock). A failed write is not lost: the change stays in memory for the next write, and the
   * step's own next write (its finish) reports the failure.
   */
  async setTask(opId: string, taskId: string): Promise<void> {
    await this.edit((_resources, pending) => {
      const i = pending[opId];
      if (i) pending[opId] = { ...i, task_id: taskId };
    }).catch(() => undefined);
  }

  /** Clear an intent and, in the same write, record the result it led to. */
  async finish(opId: string, result: { put?: StateResource; remove?: string; add?: Intent[] } = {}): Promise<void> {
    await this.edit((resources, pending) => {
      delete pending[opId];
      for (const i of result.add ?? []) pending[i.op_id] = i;
      if (result.remove !== undefined) delete resources[result.remove];
      if (result.put) resources[result.put.address] = result.put;
    });
  }

  /**
   * An in-place edit of maps this journal owns. Copying the resource map for every mutation is
   * quadratic over 10,000 creates; instead the maps are copied once per write: `draft` is a
   * private copy that no write has been handed yet, and flush() gives it up before writing it.
   */
  private edit(fn: (resources: StateFile['resources'], pending: StateFile['pending']) => void): Promise<StateFile> {
    return this.mutate((s) => {
      if (this.draft !== s) this.draft = { ...s, resources: { ...s.resources }, pending: { ...s.pending } };
      fn(this.draft.resources, this.draft.pending);
      return this.draft;
    });
  }

  newIntent(intent: Omit<Intent, 'op_id' | 'started_at'>): Intent {
    return { ...intent, op_id: randomUUID(), started_at: this.now() };
  }
}
