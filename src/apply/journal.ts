// The applier's only way to change state: every mutation goes through here, is applied to the
// in-memory state and written at once (atomically, by the store), one write at a time. An
// intent is journaled before each mutating call, so a crash at any moment leaves a record of
// what may have happened in the cloud.
import { randomUUID } from 'node:crypto';
import type { Intent, StateFile, StateResource, StateStore } from '../state/types.js';

export class Journal {
  private current: StateFile;
  private queue: Promise<unknown> = Promise.resolve();

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

  /** Apply a pure mutation and persist it; writes are serialised so none is lost. */
  mutate(change: (s: StateFile) => StateFile): Promise<StateFile> {
    const next = this.queue.then(async () => {
      this.current = await this.store.write(change(this.current));
      return this.current;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async begin(intent: Omit<Intent, 'op_id' | 'started_at'>): Promise<Intent> {
    const full: Intent = { ...intent, op_id: randomUUID(), started_at: this.now() };
    await this.mutate((s) => ({ ...s, pending: { ...s.pending, [full.op_id]: full } }));
    return full;
  }

  async setTask(opId: string, taskId: string): Promise<void> {
    await this.mutate((s) => {
      const i = s.pending[opId];
      return i ? { ...s, pending: { ...s.pending, [opId]: { ...i, task_id: taskId } } } : s;
    });
  }

  /** Clear an intent and, in the same write, record the result it led to. */
  async finish(opId: string, result: { put?: StateResource; remove?: string; add?: Intent[] } = {}): Promise<void> {
    await this.mutate((s) => {
      const pending = { ...s.pending };
      delete pending[opId];
      for (const i of result.add ?? []) pending[i.op_id] = i;
      const resources = { ...s.resources };
      if (result.remove !== undefined) delete resources[result.remove];
      if (result.put) resources[result.put.address] = result.put;
      return { ...s, pending, resources };
    });
  }

  newIntent(intent: Omit<Intent, 'op_id' | 'started_at'>): Intent {
    return { ...intent, op_id: randomUUID(), started_at: this.now() };
  }
}
