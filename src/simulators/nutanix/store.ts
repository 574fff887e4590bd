// The simulator's whole state, plain JSON so it can be written to `statePath` and survive a
// restart: that is what makes "replay NTNX-Request-Id after a crash" testable end to end.
import { readFileSync } from 'node:fs';
import { saveJsonAtomic } from '../persist.js';

export type ImageType = 'DISK_IMAGE' | 'ISO_IMAGE';

/** Request-side image fields, cleaned of `$reserved`, unknown keys and read-only fields. */
export interface ImageSpec {
  name: string;
  description?: string;
  type: ImageType;
  checksum?: { $objectType: string; hexDigest: string };
  source?: Record<string, unknown>;
  categoryExtIds?: string[];
  clusterLocationExtIds?: string[];
}

export interface StoredImage extends ImageSpec {
  extId: string;
  sizeBytes: number;
  /** Microseconds since the epoch: the wire format carries microseconds. */
  createTimeUs: number;
  lastUpdateTimeUs: number;
  /** Bumped on every applied update; the ETag is derived from it. */
  generation: number;
  placementPolicyExtId?: string;
}

export type TaskKind = 'create' | 'update' | 'delete';

export interface TaskFailure {
  code: string;
  message: string;
  errorGroup?: string;
}

export interface StoredTask {
  extId: string;
  kind: TaskKind;
  imageExtId: string;
  imageName: string;
  createdUs: number;
  startUs: number;
  completeUs: number;
  clusterExtIds: string[];
  ownerName: string;
  spec?: ImageSpec;
  /** For updates: the generation the If-Match named, to catch a concurrent update. */
  expectGeneration?: number;
  /** Decided when the task is created (bad URL, injected failure). */
  plannedFailure?: TaskFailure;
  /** Set once the task's effect has been applied (or refused) at completion time. */
  result?: { status: 'SUCCEEDED' } | { status: 'FAILED'; failure: TaskFailure };
}

export interface SimState {
  version: 1;
  images: StoredImage[];
  tasks: StoredTask[];
  /** NTNX-Request-Id → task extId: the idempotency record. */
  requestIds: Record<string, string>;
  pendingFailures: { count: number; message?: string };
}

export function emptyState(): SimState {
  return { version: 1, images: [], tasks: [], requestIds: {}, pendingFailures: { count: 0 } };
}

export function loadState(path: string | undefined): SimState {
  if (path === undefined) return emptyState();
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw e;
  }
  const parsed = JSON.parse(raw) as Partial<SimState>;
  if (parsed.version !== 1) throw new Error(`${path}: unsupported simulator state version ${String(parsed.version)}`);
  const state = { ...emptyState(), ...parsed } as SimState;
  // A file written by an older simulator may hold passwords: the next save drops them.
  for (const img of state.images) forgetCredentials(img);
  for (const task of state.tasks) if (task.spec) forgetCredentials(task.spec);
  return state;
}

/**
 * Drops a source's basic-auth password, keeping the username. Prism never returns source
 * credentials, and this simulator downloads nothing with them; kept, they would be written in
 * clear to the state file under .imagectl/simulators/, beside a config a team may commit.
 */
export function forgetCredentials<T extends ImageSpec>(spec: T): T {
  const auth = spec.source?.['basicAuth'];
  if (typeof auth === 'object' && auth !== null && 'password' in auth) {
    const { password: _dropped, ...rest } = auth as Record<string, unknown>;
    spec.source = { ...spec.source, basicAuth: rest };
  }
  return spec;
}

/** Atomic: a reader (or a crash) never sees a half-written file. */
export function saveState(path: string | undefined, state: SimState): void {
  if (path !== undefined) saveJsonAtomic(path, state);
}
