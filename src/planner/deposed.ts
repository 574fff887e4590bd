// Deposed objects in the plan: every image an address replaced whose delete has not succeeded
// yet is a pending destroy of its own, with its id and the reason it is still there, until the
// cloud confirms it gone. A plan that shows none of them while they exist would say "No changes"
// over an image nobody would ever delete again.
import { deposedRef } from './types.js';
import type { DeposedObject, StateResource } from '../state/types.js';
import type { Observation } from './input.js';
import type { Reason, ResourceChange } from './types.js';

/** The observation of a deposed object, filed under its deposedRef by the refresh. */
export function deposedObservation(observed: Readonly<Record<string, Observation>>, address: string, d: DeposedObject): Observation {
  return observed[deposedRef(address, d.key)] ?? { status: 'not_read' };
}

export function planDeposed(s: StateResource, d: DeposedObject, o: Observation): ResourceChange {
  const reasons: Reason[] = [{ code: 'deposed', message: `image ${d.id} was replaced on ${d.since} and is not deleted yet` }];
  if (d.last_error !== undefined) {
    const tries = d.attempts === undefined || d.attempts <= 1 ? 'the last delete failed' : `${d.attempts} deletes failed, the last`;
    reasons.push({ code: 'delete_failed', message: `${tries}: ${d.last_error}` });
  }
  if (o.status === 'not_found') reasons.push({ code: 'already_deleted', message: 'already gone from the cloud; only the state is updated' });
  if (o.status === 'not_checked') reasons.push({ code: 'not_checked', message: `live read failed (${o.kind}): ${o.message}` });
  return {
    address: s.address,
    provider: d.provider,
    driver: d.driver,
    action: 'delete',
    deposed: d.key,
    id: d.id,
    reasons,
    before: d.attributes,
    changes: [],
    depends_on: [],
    // Its replacement was reviewed and applied: prevent_destroy guarded that, not this delete.
    protected: false,
  };
}

/** Why the current image of a removed address is still there, when a delete of it failed. */
export function deleteFailedReason(s: StateResource): Reason[] {
  return s.delete_error === undefined ? [] : [{ code: 'delete_failed', message: `the last delete of ${s.id} failed: ${s.delete_error}` }];
}
