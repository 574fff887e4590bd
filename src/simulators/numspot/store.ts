// The simulator's whole mutable state, plain JSON so it survives a restart through `statePath`.
// Image states are not stored: they are derived from timestamps when read (see image-state.ts),
// so a restarted simulator picks up a pending image exactly where the clock says it is.
import { readFileSync } from 'node:fs';
import { saveJsonAtomic } from '../persist.js';
import type { NumspotSeed, SeedTag } from './seed.js';

export interface WireBsu {
  deleteOnVmDeletion: boolean;
  iops?: number;
  snapshotId?: string;
  volumeSize: number;
  volumeType: string;
}

export interface WireBdm {
  bsu?: WireBsu;
  deviceName: string;
  virtualDeviceName?: string;
}

export interface StoredImage {
  id: string;
  name: string;
  description: string;
  architecture: string;
  rootDeviceName: string;
  blockDeviceMappings: WireBdm[];
  productCodes: string[];
  isPublic: boolean;
  official: boolean;
  /** Microseconds since the epoch: creationDate carries microseconds. */
  createdUs: number;
  /** When `pending` ends (equal to createdUs for images that are available at once). */
  readyAtUs: number;
  outcome: 'available' | 'failed';
  failure?: { stateCode: string; stateMessage: string };
  /** Held in `pending` by stickPending() until unstick(). */
  stuck?: boolean;
}

/** Snapshots made by CreateImage (from a VM, or copies): they show up in GET /snapshots. */
export interface StoredSnapshot {
  id: string;
  description: string;
  volumeSize: number;
  createdUs: number;
}

export interface SimState {
  version: 1;
  /** When this state was first created: the creation date of seeded VMs and snapshots. */
  seededAtUs: number;
  images: StoredImage[];
  snapshots: StoredSnapshot[];
  /** resourceId → tags, for images, VMs and snapshots of the space. */
  tags: Record<string, SeedTag[]>;
  /** access token → expiry (ms since the epoch). */
  tokens: Record<string, number>;
  failNext: { count: number; message?: string };
  stickNext: number;
}

export function emptyState(nowUs: number): SimState {
  return { version: 1, seededAtUs: nowUs, images: [], snapshots: [], tags: {}, tokens: {}, failNext: { count: 0 }, stickNext: 0 };
}

/** Seeded tags are copied in once; afterwards the state owns them (an emptied list stays empty). */
function adoptSeedTags(state: SimState, seed: NumspotSeed): void {
  for (const r of [...seed.vms, ...seed.snapshots]) {
    if (!(r.id in state.tags)) state.tags[r.id] = r.tags.map((t) => ({ key: t.key, value: t.value }));
  }
}

export function loadState(path: string | undefined, seed: NumspotSeed, nowUs: number): SimState {
  let state = emptyState(nowUs);
  if (path !== undefined) {
    let raw: string | undefined;
    try {
      raw = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (raw !== undefined) {
      const parsed = JSON.parse(raw) as Partial<SimState>;
      if (parsed.version !== 1) throw new Error(`${path}: unsupported simulator state version ${String(parsed.version)}`);
      state = { ...state, ...parsed } as SimState;
    }
  }
  adoptSeedTags(state, seed);
  return state;
}

/** Atomic: a reader (or a crash) never sees a half-written file. */
export function saveState(path: string | undefined, state: SimState): void {
  if (path !== undefined) saveJsonAtomic(path, state);
}
