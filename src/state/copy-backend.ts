// `imagectl state migrate`: copying the state, lineage and serial kept, between the local file
// and PostgreSQL. Both exclusive locks are held for the copy, always local first, then postgres:
// one order for every migrate, so two cannot deadlock. The target refuses another lineage or a
// newer generation (StateStore.push).
import { ImagectlError } from '../util/errors.js';
import type { Lock, LockOptions, StateStore } from './types.js';

export interface StateCopy {
  lineage: string;
  serial: number;
  images: number;
  /** Interrupted operations copied along: the next apply resolves them. */
  pending: number;
}

export async function copyState(o: { local: StateStore; postgres: StateStore; to: 'postgres' | 'local'; lock: LockOptions }): Promise<StateCopy> {
  const [source, target] = o.to === 'postgres' ? [o.local, o.postgres] : [o.postgres, o.local];
  const locks: Lock[] = [];
  try {
    locks.push(await o.local.lock(o.lock));
    locks.push(await o.postgres.lock(o.lock));
    const state = await source.read();
    if (state.serial === 0 && Object.keys(state.resources).length === 0 && Object.keys(state.pending).length === 0) {
      throw new ImagectlError('STATE_MIGRATE_REFUSED', `${source.description} holds no state: nothing to migrate`, { origin: 'user' });
    }
    if (!target.push) throw new ImagectlError('STATE_UNSUPPORTED', `${target.description} cannot take a copied state`, { origin: 'user' });
    await target.push(state);
    return { lineage: state.lineage, serial: state.serial, images: Object.keys(state.resources).length, pending: Object.keys(state.pending).length };
  } finally {
    for (const l of locks.reverse()) await l.release();
  }
}
