// Pure edits of a StateFile, used by the applier between store.write calls.
//
// Every function returns a new StateFile and never mutates its argument. Unchanged resources and
// intents are shared between the old and new state (a shallow copy of the one map that changes),
// so an edit costs O(map size) pointer copies, not a deep clone. The consequence: treat every
// StateFile and everything in it as immutable; edit only through these functions.
//
// The journal protocol (DESIGN.md §4): addIntent and write before the mutating call;
// setIntentTask and write once the cloud gives a task id; resolveIntent (which saves the result
// and clears the intent in one state, hence one atomic write) when the call's result is known.
import { ImagectlError } from '../util/errors.js';
import type { Intent, StateFile, StateResource } from './types.js';

export function addIntent(state: StateFile, intent: Intent): StateFile {
  if (intent.op_id in state.pending) {
    throw new ImagectlError('STATE_INTENT_EXISTS', `operation ${intent.op_id} is already journaled`, { origin: 'internal' });
  }
  return { ...state, pending: { ...state.pending, [intent.op_id]: intent } };
}

/** Fields an in-flight operation learns as it goes (task id, then the new image's cloud id). */
export type IntentProgress = Partial<Pick<Intent, 'task_id' | 'cloud_id' | 'name'>>;

export function updateIntent(state: StateFile, opId: string, progress: IntentProgress): StateFile {
  const current = state.pending[opId];
  if (current === undefined) {
    throw new ImagectlError('STATE_INTENT_UNKNOWN', `operation ${opId} is not journaled`, { origin: 'internal' });
  }
  const next: Intent = { ...current };
  // Copy only defined values: an explicit undefined would not survive JSON and fails the schema.
  if (progress.task_id !== undefined) next.task_id = progress.task_id;
  if (progress.cloud_id !== undefined) next.cloud_id = progress.cloud_id;
  if (progress.name !== undefined) next.name = progress.name;
  return { ...state, pending: { ...state.pending, [opId]: next } };
}

export function setIntentTask(state: StateFile, opId: string, taskId: string): StateFile {
  return updateIntent(state, opId, { task_id: taskId });
}

/** Idempotent: clearing an intent that is not there returns the state unchanged. */
export function clearIntent(state: StateFile, opId: string): StateFile {
  if (!(opId in state.pending)) return state;
  const { [opId]: _cleared, ...pending } = state.pending;
  return { ...state, pending };
}

export function setResource(state: StateFile, resource: StateResource): StateFile {
  return { ...state, resources: { ...state.resources, [resource.address]: resource } };
}

/** Idempotent: removing an address that is not there returns the state unchanged. */
export function removeResource(state: StateFile, address: string): StateFile {
  if (!(address in state.resources)) return state;
  const { [address]: _removed, ...resources } = state.resources;
  return { ...state, resources };
}

/** The result of a journaled call: the resource as now observed, or the address that is gone. */
export type IntentOutcome = { resource: StateResource } | { removed: string } | { nothing: true };

/** Saves an operation's outcome and clears its intent together, so one write records both. */
export function resolveIntent(state: StateFile, opId: string, outcome: IntentOutcome): StateFile {
  let next = state;
  if ('resource' in outcome) next = setResource(next, outcome.resource);
  else if ('removed' in outcome) next = removeResource(next, outcome.removed);
  return clearIntent(next, opId);
}
