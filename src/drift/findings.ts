// Turning a Plan (and the listing of images nobody manages) into findings. The planner already
// says how live images moved away from the state (plan.drift); the few things it reports only as
// changes (an image declared but never created, one removed from the YAML but still in the cloud)
// become `pending` findings here, so the drift report lists everything apply would still do.
import type { DriftEntry, Plan, ResourceChange } from '../planner/types.js';
import type { Draft, UnmanagedImage } from './types.js';

export function draftsFromPlan(plan: Plan): Draft[] {
  const names = namesByAddress(plan.changes);
  const drafts = plan.drift.map((d) => fromDriftEntry(d, names.get(d.address)));
  // The planner emits `pending` itself when an existing image's config changed; one finding per
  // address is enough, so changes only fill the gaps it leaves.
  const pending = new Set(plan.drift.filter((d) => d.kind === 'pending').map((d) => d.address));
  for (const c of plan.changes) {
    if (pending.has(c.address) && c.deposed === undefined) continue;
    const draft = pendingFromChange(c, names.get(c.address));
    if (draft) drafts.push(draft);
  }
  return drafts;
}

export function draftFromUnmanaged(u: UnmanagedImage): Draft {
  if (u.kind === 'leaked') {
    return {
      address: u.owner_address ?? '(leaked)',
      provider: u.provider,
      kind: 'leaked',
      id: u.id,
      name: u.name,
      fields: [],
      message: "carries this state's ownership tag but is not in the state",
    };
  }
  return {
    address: '(unmanaged)',
    provider: u.provider,
    kind: 'unmanaged',
    id: u.id,
    name: u.name,
    fields: [],
    message: 'in a declared scope but not managed by imagectl',
  };
}

function fromDriftEntry(d: DriftEntry, name: string | undefined): Draft {
  // fingerprint and suppressed are recomputed from the rules of this run, never copied.
  const draft: Draft = { address: d.address, provider: d.provider, kind: d.kind, fields: d.fields.map((f) => ({ ...f })) };
  if (d.id !== undefined) draft.id = d.id;
  if (name !== undefined) draft.name = name;
  if (d.message !== undefined) draft.message = d.message;
  return draft;
}

function pendingFromChange(c: ResourceChange, name: string | undefined): Draft | undefined {
  let message: string | undefined;
  const failed = c.reasons.find((r) => r.code === 'delete_failed')?.message;
  if (c.action === 'create' && c.reasons.some((r) => r.code === 'new')) message = 'declared but not yet created';
  else if (c.action === 'delete' && c.reasons.some((r) => r.code === 'removed_from_config')) message = 'removed from the configuration but still exists';
  // A replaced image whose delete has not succeeded: the next apply deletes it (or, when it is
  // already gone, only updates the state); until then it is an image nobody else will delete.
  else if (c.action === 'delete' && c.deposed !== undefined) message = `replaced (deposed ${c.deposed}) but not deleted yet`;
  if (message === undefined) return undefined;
  if (failed !== undefined) message += `; ${failed}`;
  const draft: Draft = { address: c.address, provider: c.provider, kind: 'pending', fields: [], message };
  if (c.id !== undefined) draft.id = c.id;
  if (name !== undefined) draft.name = name;
  return draft;
}

/** The image's name, live if known (what someone looking at the console sees), else desired. */
function namesByAddress(changes: readonly ResourceChange[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const c of changes) {
    const name = c.before?.['name'] ?? c.after?.['name'];
    if (typeof name === 'string') names.set(c.address, name);
  }
  return names;
}
