// Reading the live side for the planner: one bulk list per provider, then a GET only for the
// ids the list did not return. An auth or throttling failure marks images not_checked; it is
// never taken for "deleted" or "in sync".
import { DriverError, type DriverSession } from '../drivers/contract.js';
import type { ErrorKind, ObservedImage } from '../fields/observed.js';
import type { Observation } from '../planner/input.js';
import { deposedRef } from '../planner/types.js';
import type { StateFile, StateResource } from '../state/types.js';

/** What is read: a resource's current image, or one of its deposed objects (under its deposedRef). */
type Target = Pick<StateResource, 'address' | 'provider' | 'id'>;
import { errorMessage } from '../util/errors.js';
import { mapLimit } from '../util/concurrency.js';

export interface RefreshResult {
  observed: Record<string, Observation>;
  /** Every image each provider listed, for unmanaged/leaked reports. */
  listed: Record<string, ObservedImage[]>;
  /** Providers whose list failed (provider → message): their unmanaged images are unknown. */
  listErrors?: Record<string, string>;
  /**
   * Providers that could not be read at all or in part (provider → the first reason): a failed
   * list, or reads that ended not_checked. Plan and apply refuse to go on without them
   * (unreadable.ts) unless the user opts out.
   */
  unreadable: Record<string, string>;
  requests: number;
}

export type RefreshMode = 'bulk' | 'per-resource';

function notChecked(e: unknown): Observation {
  const kind: ErrorKind = e instanceof DriverError ? e.kind : 'transient';
  return { status: 'not_checked', kind, message: errorMessage(e) };
}

async function readOne(session: DriverSession, r: Target): Promise<Observation> {
  try {
    const res = await session.read(r.id);
    if (res.status === 'found') return { status: 'found', image: res.image };
    if (res.status === 'not_found') return { status: 'not_found' };
    return { status: 'not_checked', kind: res.kind, message: res.message };
  } catch (e) {
    return notChecked(e);
  }
}

export async function refresh(
  sessions: Readonly<Record<string, DriverSession>>,
  state: StateFile,
  opts: { addresses?: ReadonlySet<string>; mode?: RefreshMode; parallelism: number },
): Promise<RefreshResult> {
  const out: RefreshResult = { observed: {}, listed: {}, unreadable: {}, requests: 0 };
  const byProvider = new Map<string, Target[]>();
  const want = (r: Target): void => {
    // push, not spread: copying the list per resource is quadratic at 10,000 images.
    const list = byProvider.get(r.provider) ?? [];
    list.push(r);
    byProvider.set(r.provider, list);
  };
  for (const r of Object.values(state.resources)) {
    if (opts.addresses && !opts.addresses.has(r.address)) continue;
    want(r);
    // Deposed objects are read too: one already gone needs only a state update, not a delete.
    for (const d of r.deposed ?? []) want({ address: deposedRef(r.address, d.key), provider: d.provider, id: d.id });
  }
  await Promise.all(
    Object.entries(sessions).map(async ([provider, session]) => {
      const resources = byProvider.get(provider) ?? [];
      let missing = resources;
      if (opts.mode !== 'per-resource') {
        try {
          const listed = await session.list();
          out.requests += listed.requests ?? 1;
          out.listed[provider] = listed.images;
          const byId = new Map<string, ObservedImage>();
          for (const image of listed.images) byId.set(image.id, image); // no [id, image] pair per image
          missing = [];
          for (const r of resources) {
            const img = byId.get(r.id);
            if (img) out.observed[r.address] = { status: 'found', image: img };
            else missing.push(r);
          }
        } catch (e) {
          for (const r of resources) out.observed[r.address] = notChecked(e);
          (out.listErrors ??= {})[provider] = errorMessage(e);
          out.unreadable[provider] = errorMessage(e);
          return;
        }
      }
      // Absent from the list: confirm with a GET (lists can lag behind creates).
      const reads = await mapLimit(missing, opts.parallelism, (r) => readOne(session, r));
      out.requests += missing.length;
      missing.forEach((r, i) => (out.observed[r.address] = reads[i] as Observation));
      const failed = reads.filter((o) => o.status === 'not_checked');
      const first = failed[0];
      if (first?.status === 'not_checked') {
        out.unreadable[provider] = failed.length === 1 ? first.message : `${first.message} (and ${failed.length - 1} more reads failed)`;
      }
    }),
  );
  return out;
}
