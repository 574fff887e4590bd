// Before a create, look for a namesake. Nutanix names need not be unique, so a lost or wrong
// state (a CI job without its state, a hand-edited id) would create a duplicate silently; Numspot
// names are unique, so the same create fails late with a 409. Either way the plan says so first:
// an image the provider listed with the planned name, owned by no state entry, fails the plan,
// naming it and how to adopt it. Pure: it reads what the refresh already listed, no extra call.
//
// Kept apart from plan(): the provider lists are a different input from the per-address
// observations, only this check needs them, and a plan made without them (--refresh=false,
// per-resource refresh, a list that failed) simply cannot check, which it says as a warning.
import type { DriverSchema } from '../fields/schema.js';
import type { ObservedImage } from '../fields/observed.js';
import type { StateFile } from '../state/types.js';
import type { PlanImage } from './input.js';
import type { Plan } from './types.js';

export interface NamesakeInput {
  plan: Plan;
  desired: Readonly<Record<string, PlanImage>>;
  state: StateFile;
  /** Every image each provider listed; a provider missing here was not listed. */
  listed: Readonly<Record<string, readonly ObservedImage[]>>;
  schemas: Readonly<Record<string, DriverSchema>>;
}

/** Ids some state entry or interrupted operation accounts for, by provider. */
function ownedIds(state: StateFile): Set<string> {
  const owned = new Set<string>();
  for (const r of Object.values(state.resources)) {
    owned.add(`${r.provider}\u0000${r.id}`);
    // A deposed image (its delete failed) is still this state's: not a namesake of its successor.
    for (const d of r.deposed ?? []) owned.add(`${d.provider}\u0000${d.id}`);
  }
  for (const i of Object.values(state.pending)) if (i.cloud_id !== undefined) owned.add(`${i.provider}\u0000${i.cloud_id}`);
  return owned;
}

/** Adds an error to `plan.errors` per create (or replacement) whose name an unowned image holds. */
export function checkNamesakes(input: NamesakeInput): void {
  const { plan, desired, state, listed } = input;
  const creating = plan.changes.filter((c) => (c.action === 'create' || c.action === 'replace') && typeof c.after?.['name'] === 'string');
  if (creating.length === 0) return;
  // An interrupted create of this address may have made the image: the next apply adopts it.
  const recovering = new Set(Object.values(state.pending).filter((i) => i.action === 'create').map((i) => i.address));
  const owned = ownedIds(state);
  // provider NUL name → unowned images, for the planned names only (one pass over each list).
  const byName = new Map<string, ObservedImage[]>(creating.map((c) => [`${c.provider}\u0000${c.after?.['name'] as string}`, []]));
  for (const [provider, list] of Object.entries(listed)) {
    for (const img of list) {
      const same = byName.get(`${provider}\u0000${img.name}`);
      if (!same || owned.has(`${provider}\u0000${img.id}`)) continue;
      same.push(img);
    }
  }
  const unlisted = new Set<string>();
  for (const c of creating) {
    if (!listed[c.provider]) {
      unlisted.add(c.provider);
      continue;
    }
    if (recovering.has(c.address)) continue;
    const namesakes = byName.get(`${c.provider}\u0000${c.after?.['name'] as string}`) ?? [];
    if (namesakes.length === 0) continue;
    const unique = input.schemas[c.driver]?.unique_names === true;
    if (!unique && desired[c.address]?.lifecycle.allow_duplicate_name === true) continue;
    plan.errors.push(namesakeError(c.address, c.provider, c.driver, c.after?.['name'] as string, namesakes, unique));
  }
  for (const p of [...unlisted].sort()) plan.warnings.push(`provider ${p} was not listed, so images to create were not checked for a namesake imagectl does not manage`);
}

function namesakeError(address: string, provider: string, driver: string, name: string, found: readonly ObservedImage[], unique: boolean): string {
  const ids = found.map((i) => i.id);
  const which = ids.length === 1 ? `an image named "${name}" (id ${ids[0]})` : `${ids.length} images named "${name}" (ids ${ids.join(', ')})`;
  const head = `${address}: provider ${provider} (${driver}) already holds ${which} that this state does not own`;
  const adopt = `if it is this image, adopt it with \`imagectl import ${address} ${ids[0]}\``;
  if (unique) return `${head}; names are unique there, so the create would be refused (409): ${adopt}, or choose another name`;
  return (
    `${head}; creating would make a duplicate: ${adopt}; if a duplicate is intended, set lifecycle.allow_duplicate_name: true ` +
    `on ${address} (or allow_duplicate_names: true on provider ${provider})`
  );
}
