// Choosing the action for a declared image from its field changes, with the reasons a reviewer
// needs: which field forces replacement, which reference is unknown, and why the replacement
// runs in the order it does.
import type { DriverSchema } from '../fields/schema.js';
import type { StateResource } from '../state/types.js';
import type { Observation, PlanImage } from './input.js';
import type { FieldChange, Reason, ResourceChange } from './types.js';

function refReasons(changes: readonly FieldChange[]): Reason[] {
  return changes
    .filter((c) => c.unknown)
    .map((c) => ({ code: 'ref_unknown' as const, path: c.path, message: `${c.path.slice(1)} is known only after apply` }));
}

export function decideAction(
  schema: DriverSchema,
  d: PlanImage,
  s: StateResource | undefined,
  o: Observation,
  changes: FieldChange[],
): ResourceChange {
  const base: ResourceChange = {
    address: d.address,
    provider: d.provider,
    driver: d.driver,
    action: 'no-op',
    reasons: [],
    changes,
    depends_on: d.depends_on.length === 0 ? [] : [...d.depends_on].sort(),
    protected: d.lifecycle.prevent_destroy || (s?.protected ?? false),
    prevent_destroy: d.lifecycle.prevent_destroy,
  };
  if (s) base.id = s.id;
  if (!s) return { ...base, action: 'create', reasons: [{ code: 'new', message: 'not yet created' }, ...refReasons(changes)] };
  if (o.status === 'not_found') {
    return {
      ...base,
      action: 'create',
      reasons: [{ code: 'deleted_out_of_band', message: `image ${s.id} was deleted outside imagectl` }, ...refReasons(changes)],
    };
  }
  const reasons: Reason[] = [];
  if (o.status === 'not_checked') reasons.push({ code: 'not_checked', message: `live read failed (${o.kind}): ${o.message}` });
  // Another provider block is another endpoint or space: the image there does not exist yet,
  // whatever the fields say. A new one is made there and the old one deleted where it is.
  const moved = s.provider !== d.provider || s.driver !== d.driver;
  if (moved) {
    base.prior_provider = s.provider;
    base.prior_driver = s.driver;
    reasons.push({ code: 'provider_changed', path: '/provider', message: `provider changes from ${s.provider} to ${d.provider}, so a new image is made there` });
  }
  if (changes.length === 0 && !moved) {
    base.reasons = reasons; // the usual case at scale: no copy of base
    return base;
  }
  const forcing = changes.filter((c) => c.forces_replacement);
  if (forcing.length === 0 && !moved) {
    return { ...base, action: 'update', reasons: [...reasons, { code: 'update_in_place', message: 'updatable fields differ' }, ...refReasons(changes)] };
  }
  for (const c of forcing) reasons.push({ code: 'forces_replacement', path: c.path, message: `${c.path.slice(1)} cannot be changed in place` });
  reasons.push(...refReasons(changes));
  const nameChanged = changes.some((c) => c.path === '/name');
  // Two provider blocks may name the same space: the order stays the one unique names need.
  if (schema.unique_names && !nameChanged) {
    reasons.push({ code: 'unique_name', message: 'names are unique and the name is kept, so the old image is destroyed first' });
    return { ...base, action: 'replace', replace_order: 'destroy_before_create', reasons };
  }
  reasons.push(
    nameChanged
      ? { code: 'name_changed', message: 'the name changes, so the new image is created before the old one is destroyed' }
      : { code: 'names_not_unique', message: 'names need not be unique, so the new image is created before the old one is destroyed' },
  );
  return { ...base, action: 'replace', replace_order: 'create_before_destroy', reasons };
}
