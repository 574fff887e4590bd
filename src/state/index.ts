// The state module's public face. Commands and the applier import from here, not from the files.
import { LocalStateStore, type LocalStoreOptions } from './local-store.js';
import type { StateStore } from './types.js';

/** Opens the state at `path` (a local JSON file; the only backend so far). Touches no disk yet. */
export function openStateStore(path: string, opts: LocalStoreOptions = {}): StateStore {
  return new LocalStateStore(path, opts);
}

export * from './types.js';
export { LocalStateStore, type LocalStoreOptions } from './local-store.js';
export { emptyState, parseState, serializeState, type ParseOptions } from './format.js';
export { migrateState, MIGRATIONS, type Migration } from './migrations.js';
export { fingerprintSecret, secretMarker, isSecretMarker, type SecretMarker } from './secrets.js';
export {
  addIntent, updateIntent, setIntentTask, clearIntent, setResource, removeResource, resolveIntent,
  type IntentProgress, type IntentOutcome,
} from './intents.js';
export { DEFAULT_LOCK_TUNING, type LockTuning } from './lock-file.js';
export { lockPathFor, sharedLockPathFor } from './lock.js';
