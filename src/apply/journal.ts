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
import { forgetDeposed, promoteDeposed, recordDeleteFailure, replaceCurrent } from '../state/deposed.js';
import type { Intent, StateFile, StateResource, StateStore } from '../state/types.js';

/** What a finished call led to (see Journal.finish). */
export interface FinishResult {
  put?: StateResource;
  remove?: string;
  add?: Intent[];
  /** The id of the address's previous image when it is known to be gone already (not deposed). */
  gone?: string;
  /** The put's `protected` is the applied configuration's prevent_destroy, so it may lift it. */
  from_config?: boolean;
}

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

  /**
   * Clear an intent and, in the same write, record the result it led to. Finishing a delete
   * intent means the cloud confirmed its image gone. No image is ever dropped by accident here: a
   * `put` keeps the address's deposed objects and deposes the image it overwrites, unless that
   * image is known to be gone (`gone`: a create after it was deleted outside imagectl); a
   * `remove` of an address that still has deposed objects makes one of them current instead.
   * Protection is kept the same way: a `put` lifts `protected` only when it carries the lifecycle
   * of the configuration being applied (`from_config`); a recovery, which may not have it, cannot.
   */
  async finish(opId: string, result: FinishResult = {}): Promise<void> {
    const now = this.now();
    await this.edit((resources, pending) => {
      const intent = pending[opId];
      delete pending[opId];
      for (const i of result.add ?? []) pending[i.op_id] = i;
      if (result.remove !== undefined) {
        const r = resources[result.remove];
        const promoted = r && promoteDeposed(r, now);
        if (promoted) resources[result.remove] = promoted;
        else delete resources[result.remove];
      }
      if (result.put) {
        const previous = resources[result.put.address];
        const gone = result.gone !== undefined && previous?.id === result.gone;
        const put = previous?.protected && !result.put.protected && !result.from_config ? { ...result.put, protected: true } : result.put;
        resources[result.put.address] = replaceCurrent(previous, put, now, !gone);
      }
      const r = intent ? resources[intent.address] : undefined;
      if (r && intent?.action === 'delete' && intent.cloud_id !== undefined) resources[intent.address] = forgetDeposed(r, { provider: intent.provider, id: intent.cloud_id });
    });
  }

  /**
   * Clear the intent of a call that definitively did nothing. A delete that failed so leaves its
   * image where it is (current or deposed), with the cloud's reason for the plan to show.
   */
  async fail(opId: string, message: string): Promise<void> {
    await this.edit((resources, pending) => {
      const intent = pending[opId];
      delete pending[opId];
      const r = intent ? resources[intent.address] : undefined;
      if (r && intent?.action === 'delete' && intent.cloud_id !== undefined) resources[intent.address] = recordDeleteFailure(r, { provider: intent.provider, id: intent.cloud_id }, message);
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
