// Is a saved plan still what would happen? `apply PLAN_FILE` performs only the actions in the
// file, so it re-plans the images the file acts on and everything feeding them (dependencies,
// references; lookups feed the planned values), and refuses, naming the address and what moved,
// when anything differs: an action the file does not hold, a planned change that is no longer the
// same, or a dependency changed in the cloud or the state. Images elsewhere do not make it stale.
import { withDependencies } from '../planner/graph.js';
import { changeKey, type Plan, type ResourceChange } from '../planner/types.js';
import { redact } from '../render/values.js';
import type { StateFile } from '../state/types.js';
import { ImagectlError } from '../util/errors.js';
import { canonicalJson, type JsonValue } from '../util/json.js';

/** The addresses a saved plan acts on (once each, though an address's deposed objects act too). */
export function touched(plan: Plan): string[] {
  return [...new Set(plan.changes.filter((c) => c.action !== 'no-op').map((c) => c.address))];
}

const VERB: Record<ResourceChange['action'], string> = { create: 'created', update: 'updated in place', replace: 'replaced', delete: 'destroyed', 'no-op': 'left alone' };

function redacted(c: ResourceChange): ResourceChange {
  return redact(JSON.parse(JSON.stringify(c)) as JsonValue) as unknown as ResourceChange;
}

/** What differs between two versions of a planned change, for the error (secrets stay fingerprints). */
function moved(before: ResourceChange, after: ResourceChange): string | undefined {
  const [b, a] = [redacted(before), redacted(after)];
  if (b.action !== a.action) return `it would now be ${VERB[a.action]}, not ${VERB[b.action]}`;
  if (b.replace_order !== a.replace_order) return 'the replacement order changed';
  if (b.id !== a.id) return `its id is now ${a.id ?? 'none'}, not ${b.id ?? 'none'}`;
  const keys = [...new Set([...Object.keys(b.after ?? {}), ...Object.keys(a.after ?? {})])].sort();
  const fields = keys.filter((k) => canonicalJson(b.after?.[k] ?? null) !== canonicalJson(a.after?.[k] ?? null));
  if (fields.length > 0) return `its planned ${fields.join(', ')} changed (a reference or lookup it reads moved)`;
  if (canonicalJson(b.changes) !== canonicalJson(a.changes)) return `the field changes planned for it differ`;
  return undefined;
}

function sameObserved(a: ResourceChange['observed'], b: ResourceChange['observed'], key: 'state' | 'digest'): boolean {
  return a !== undefined && b !== undefined && a[key] === b[key];
}

/** Which of the saved plan's acting images depend (transitively) on `address`. */
function dependentsOf(saved: Plan, acting: readonly string[], address: string): string[] {
  const deps = new Map(saved.changes.map((c) => [c.address, c.depends_on]));
  return acting.filter((a) => a !== address && withDependencies([a], (n) => deps.get(n) ?? []).has(address));
}

/** Refuse a saved plan that would no longer do exactly what it says. */
export function checkNotStale(saved: Plan, fresh: Plan, configDigest: string, state: StateFile, file: string): void {
  const refuse = (why: string): never => {
    throw new ImagectlError('PLAN_STALE', `the saved plan ${file} is stale: ${why}; make a new plan`);
  };
  if (saved.state.serial === 0) {
    if (state.serial !== 0) refuse('it was made before the first apply, and the state has been written since');
  } else if (saved.state.lineage !== state.lineage) refuse(`it was made for state lineage ${saved.state.lineage}, this state is ${state.lineage}`);
  if (saved.config_digest !== configDigest) refuse('the configuration changed since it was made');
  const acting = touched(saved);
  // By changeKey: a deposed object and its address's current image are checked apart.
  const held = saved.changes.filter((c) => c.action !== 'no-op');
  const was = new Map(saved.changes.map((c) => [changeKey(c), c]));
  const now = new Map(fresh.changes.map((c) => [changeKey(c), c]));
  for (const before of held) {
    const address = changeKey(before);
    const after = now.get(address);
    if (!after) refuse(`${address} is no longer planned`);
    if (before.observed?.state !== after?.observed?.state) refuse(`${address} changed in the state since it was made`);
    if (before.observed?.digest !== after?.observed?.digest) refuse(`${address} changed in the cloud since it was made`);
    const why = moved(before, after as ResourceChange);
    if (why !== undefined) refuse(`the changes planned for ${address} are no longer the same: ${why}`);
  }
  // Everything else the re-plan read feeds a planned action: it must not have moved, and must
  // not act. The fresh plan holds only the touched images and their dependencies.
  const inPlan = new Set(held.map(changeKey));
  for (const after of fresh.changes) {
    if (inPlan.has(changeKey(after))) continue;
    const before = was.get(changeKey(after));
    const users = dependentsOf(saved, acting, after.address);
    const feeds = users.length > 0 ? ` (which ${users.join(', ')} depend${users.length === 1 ? 's' : ''} on)` : '';
    if (before?.observed === undefined && users.length > 0) {
      refuse(`it does not record how ${after.address}${feeds} looked (made by an older imagectl)`);
    }
    if (before?.observed !== undefined) {
      if (!sameObserved(before.observed, after.observed, 'state')) refuse(`${after.address}${feeds} changed in the state since the plan was made`);
      if (!sameObserved(before.observed, after.observed, 'digest')) {
        const gone = after.observed?.status === 'not_found' && before.observed.status === 'found';
        refuse(`${after.address}${feeds} ${gone ? 'was deleted in the cloud' : 'changed in the cloud'} since the plan was made`);
      }
    }
    if (after.action !== 'no-op') {
      const reason = after.reasons[0]?.message ?? 'its inputs moved';
      refuse(`${after.address}${feeds} would now be ${VERB[after.action]} (${reason}), an action the plan does not hold`);
    }
  }
}
