// `apply --refresh-only`: accept what the cloud has into the state, without changing the cloud.
// Modified images take their live values (write-only inputs are kept: the API never shows
// them); images gone from the cloud leave the state; images that could not be read are left.
import type { DriverSchema } from '../fields/schema.js';
import type { Observation } from '../planner/input.js';
import { deposedRef, type DriftEntry, type Plan } from '../planner/types.js';
import { forgetDeposed, promoteDeposed } from '../state/deposed.js';
import type { StateFile, StateResource } from '../state/types.js';
import type { JsonObject } from '../util/json.js';

/** What the refresh-only run offers to accept: the images that moved or went away outside imagectl. */
export function movedOutside(plan: Pick<Plan, 'drift'>): DriftEntry[] {
  return plan.drift.filter((d) => d.kind === 'modified' || d.kind === 'deleted');
}

export function acceptLive(state: StateFile, observed: Readonly<Record<string, Observation>>, schemas: Readonly<Record<string, DriverSchema>>, now: string): { state: StateFile; updated: string[]; removed: string[] } {
  const resources = { ...state.resources };
  const updated: string[] = [];
  const removed: string[] = [];
  for (const [address, stored] of Object.entries(state.resources)) {
    const r = withoutGoneDeposed(stored, observed, address);
    if (r !== stored) (resources[address] = r), updated.push(address);
    const o = observed[address];
    // A deposed image still there becomes current rather than be dropped with the address.
    const promoted = o?.status === 'not_found' ? promoteDeposed(r, now) : undefined;
    if (promoted) {
      resources[address] = promoted;
      continue;
    }
    if (o?.status === 'not_found') {
      delete resources[address];
      removed.push(address);
      continue;
    }
    if (o?.status !== 'found') continue;
    const schema = schemas[r.driver];
    const inputs: JsonObject = { ...r.inputs };
    for (const key of Object.keys(r.inputs)) {
      const live = o.image.attributes[key];
      if (live !== undefined && !schema?.fields[`/${key}`]?.write_only) inputs[key] = live;
    }
    const next = { ...r, inputs, attributes: o.image.attributes, updated_at: now };
    if (o.image.etag !== undefined) next.etag = o.image.etag;
    resources[address] = next;
    if (!updated.includes(address)) updated.push(address);
  }
  return { state: { ...state, resources }, updated, removed };
}

/** Deposed images the cloud says are gone need no delete any more. */
function withoutGoneDeposed(r: StateResource, observed: Readonly<Record<string, Observation>>, address: string): StateResource {
  let out = r;
  for (const d of r.deposed ?? []) if (observed[deposedRef(address, d.key)]?.status === 'not_found') out = forgetDeposed(out, d);
  return out;
}
