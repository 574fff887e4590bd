// The planner: a pure function of desired × state × observed → Plan. No I/O, no driver
// modules, no clock (`now` is passed in), so it is table-testable and runs the same in plan,
// apply and drift.
import type { DriverSchema } from '../fields/schema.js';
import type { StateResource } from '../state/types.js';
import { digestOf } from '../util/hash.js';
import type { JsonObject } from '../util/json.js';
import { diffFields } from './diff.js';
import { liveDrift, pendingDrift } from './drift.js';
import { assumeUnknownWriteOnly, overlayWriteOnly } from '../fields/write-only.js';
import { normalizeFields } from '../fields/normalize.js';
import { restrictTo, withoutPointers } from '../fields/pointers.js';
import { topoOrder, withDependencies } from './graph.js';
import type { Observation, PlanImage, PlanInput } from './input.js';
import { resolveRefs, type RefTarget } from './refs.js';
import { decideAction } from './decide.js';
import { deleteFailedReason, deposedObservation, planDeposed } from './deposed.js';
import { recordFeeders } from './feeders.js';
import { PLAN_FORMAT, PLAN_VERSION, type Plan, type ResourceChange } from './types.js';

/** What this plan saw of one image, live and in state, so a saved plan can tell that it moved. */
export function observedSummary(o: Observation, s: StateResource | undefined): NonNullable<ResourceChange['observed']> {
  const state = s ? digestOf(s) : 'absent';
  if (o.status === 'found') {
    const out: NonNullable<ResourceChange['observed']> = { status: 'found', digest: digestOf({ id: o.image.id, a: o.image.attributes }), state };
    if (o.image.etag !== undefined) out.etag = o.image.etag;
    return out;
  }
  return { status: o.status, digest: o.status, state };
}

function schemaOf(input: PlanInput, driver: string): DriverSchema {
  const schema = input.schemas[driver];
  if (!schema) throw new Error(`no schema for driver '${driver}'`);
  return schema;
}

export function plan(input: PlanInput): Plan {
  const { desired, state } = input;
  const errors: string[] = [];
  const deps = (a: string): readonly string[] => desired[a]?.depends_on ?? state.resources[a]?.depends_on ?? [];
  let addresses = [...new Set([...Object.keys(desired), ...Object.keys(state.resources)])];
  if (input.targets && input.targets.length > 0) {
    const keep = withDependencies(input.targets, deps);
    addresses = addresses.filter((a) => keep.has(a));
  }
  if (Object.keys(desired).length === 0 && Object.keys(state.resources).length > 0 && !input.allow_empty) {
    errors.push(
      `the configuration declares no images but the state holds ${Object.keys(state.resources).length}: refusing to destroy everything (pass --allow-empty if that is intended)`,
    );
  }

  const targets = new Map<string, RefTarget>();
  const changes: ResourceChange[] = [];
  const plan: Plan = {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    created_at: input.now,
    config_digest: input.config_digest,
    state: { lineage: state.lineage, serial: state.serial },
    changes,
    drift: [],
    info: [],
    summary: { add: 0, change: 0, destroy: 0, unchanged: 0 },
    warnings: [],
    errors,
  };
  if (input.targets && input.targets.length > 0) plan.targets = [...input.targets];

  for (const address of topoOrder(addresses, deps)) {
    const d = desired[address];
    const s = state.resources[address];
    const o: Observation = input.observed[address] ?? { status: 'not_read' };
    const schema = schemaOf(input, d?.driver ?? (s as StateResource).driver);
    if (s) {
      const { drift, info } = liveDrift(address, schema, s, o, d?.lifecycle.ignore_changes ?? []);
      plan.drift.push(drift);
      if (info.length > 0) plan.info.push(...info);
    }
    const change = d ? planDesired(input, schema, d, s, o, targets, plan) : planRemoved(s as StateResource, o);
    // Only the images a plan acts on are checked for staleness when it is applied later; two
    // digests of every unchanged image were the planner's largest cost at 10,000 images.
    if (change.action !== 'no-op') change.observed = observedSummary(o, s);
    guardProtected(change, d, s, errors);
    if (d && s?.protected && !d.lifecycle.prevent_destroy && change.action !== 'delete' && change.action !== 'replace') {
      // The one way protection goes: said here, so no apply lifts it unseen ("No changes" and all).
      plan.warnings.push(`${address}: lifecycle.prevent_destroy was removed from the configuration; this apply lifts its protection, and later plans may destroy it`);
    }
    targets.set(address, { action: change.action, state: s, fields: change.after });
    changes.push(change);
    for (const old of s?.deposed ?? []) {
      const od = deposedObservation(input.observed, address, old);
      changes.push({ ...planDeposed(s as StateResource, old, od), observed: observedSummary(od, s) });
    }
  }

  recordFeeders(changes, deps, (a) => observedSummary(input.observed[a] ?? { status: 'not_read' }, state.resources[a]));
  addDeleteOrdering(changes, state.resources);
  // By address; an address's deposed objects right after its own change, by key.
  changes.sort((a, b) => compare(a.address, b.address) || compare(a.deposed ?? '', b.deposed ?? ''));
  for (const c of changes) {
    if (c.action === 'create') plan.summary.add++;
    else if (c.action === 'update') plan.summary.change++;
    else if (c.action === 'delete') plan.summary.destroy++;
    else if (c.action === 'replace') (plan.summary.add++, plan.summary.destroy++);
    else plan.summary.unchanged++;
    if (c.reasons.some((r) => r.code === 'not_checked')) plan.warnings.push(`${c.address}: could not be read from the cloud; planned from the state file`);
  }
  return plan;
}

function planDesired(
  input: PlanInput,
  schema: DriverSchema,
  d: PlanImage,
  s: StateResource | undefined,
  o: Observation,
  targets: Map<string, RefTarget>,
  plan: Plan,
): ResourceChange {
  const after = normalizeFields(schema, resolveRefs(d.fields, (a) => targets.get(a)));
  const compared = withoutPointers(after, d.lifecycle.ignore_changes);
  let before: JsonObject | undefined;
  if (s && o.status !== 'not_found') {
    const live = o.status === 'found' ? o.image.attributes : s.attributes;
    before = normalizeFields(schema, assumeUnknownWriteOnly(schema, overlayWriteOnly(schema, live, s.inputs), after));
    const pending = pendingDrift(d.address, d.provider, schema, withoutPointers(after, d.lifecycle.ignore_changes), s);
    if (pending) plan.drift.push(pending);
  }
  const fieldChanges = diffFields(schema, before === undefined ? undefined : (restrictTo(before, compared) as JsonObject), before === undefined ? after : compared);
  const change = decideAction(schema, d, s, o, fieldChanges);
  change.after = after;
  if (before !== undefined) change.before = before;
  return change;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function planRemoved(s: StateResource, o: Observation): ResourceChange {
  const gone = o.status === 'not_found';
  return {
    address: s.address,
    provider: s.provider,
    driver: s.driver,
    action: 'delete',
    id: s.id,
    reasons: [
      gone
        ? { code: 'already_deleted', message: 'removed from the configuration and already gone from the cloud' }
        : { code: 'removed_from_config', message: 'no longer in the configuration' },
      ...deleteFailedReason(s),
    ],
    before: s.attributes,
    changes: [],
    depends_on: [],
    protected: s.protected,
  };
}

function guardProtected(change: ResourceChange, d: PlanImage | undefined, s: StateResource | undefined, errors: string[]): void {
  if (change.action !== 'delete' && change.action !== 'replace') return;
  if (!change.protected || !s) return;
  const why = change.action === 'delete' ? 'it would be destroyed' : 'a change forces its replacement';
  const how = d
    ? 'change the configuration so it is not destroyed, or set lifecycle.prevent_destroy: false and apply first'
    : 'add its block back with lifecycle.prevent_destroy: false and apply, or forget it with `imagectl state rm`';
  errors.push(`${change.address}: lifecycle.prevent_destroy is set but ${why}; ${how}`);
}

/** Deletes run in reverse: X waits until everything that depended on X is deleted. */
function addDeleteOrdering(changes: ResourceChange[], resources: Readonly<Record<string, StateResource>>): void {
  // Deposed objects wait for nothing: they were replaced already, nothing depends on them.
  const deleting = new Set(changes.filter((c) => c.action === 'delete' && c.deposed === undefined).map((c) => c.address));
  for (const c of changes) {
    if (c.action !== 'delete' || c.deposed !== undefined) continue;
    c.depends_on = [...deleting].filter((other) => resources[other]?.depends_on.includes(c.address)).sort();
  }
}
