// GET /snapshots and /snapshots/{id}: the seeded snapshots plus those CreateImage made (from a VM,
// or as copies). Snapshots are what register-mode images reference, so they must be findable.
import type { SimRequest, SimResponse } from '../messages.js';
import { rfc3339Micros } from '../time.js';
import type { SimContext } from './context.js';
import { derivedId } from './ids.js';
import { badRequest, notFound } from './problems.js';
import { compileFilters, tagFilters, type FilterTable } from './query.js';
import type { SeedTag } from './seed.js';

export interface SnapshotView {
  id: string;
  description: string;
  volumeSize: number;
  createdUs: number;
  tags: SeedTag[];
}

export function allSnapshots(ctx: SimContext): SnapshotView[] {
  const tags = (id: string) => ctx.state.tags[id] ?? [];
  return [
    ...ctx.seed.snapshots.map((s) => ({ id: s.id, description: s.description, volumeSize: s.volumeSize, createdUs: ctx.state.seededAtUs, tags: tags(s.id) })),
    ...ctx.state.snapshots.map((s) => ({ ...s, tags: tags(s.id) })),
  ];
}

export function findSnapshot(ctx: SimContext, id: string): SnapshotView | undefined {
  return allSnapshots(ctx).find((s) => s.id === id);
}

function snapshotWire(s: SnapshotView): Record<string, unknown> {
  return {
    access: { isPublic: false },
    creationDate: rfc3339Micros(s.createdUs),
    description: s.description,
    id: s.id,
    progress: 100,
    state: 'completed',
    tags: s.tags.map((t) => ({ key: t.key, value: t.value })),
    volumeId: derivedId('vol', s.id),
    volumeSize: s.volumeSize,
  };
}

const FILTERS: FilterTable<SnapshotView> = {
  ids: { kind: 'strings', values: (s) => [s.id] },
  descriptions: { kind: 'strings', values: (s) => [s.description] },
  states: { kind: 'strings', values: () => ['completed'] },
  progresses: { kind: 'ints', values: () => [100] },
  volumeIds: { kind: 'strings', values: (s) => [derivedId('vol', s.id)] },
  volumeSizes: { kind: 'ints', values: (s) => [s.volumeSize] },
  isPublic: { kind: 'bool', values: () => [false] },
  ...tagFilters((s) => s.tags),
};

export function listSnapshots(req: SimRequest, ctx: SimContext): SimResponse {
  const match = compileFilters(req, FILTERS);
  if (Array.isArray(match)) return badRequest(req.path, match);
  return { status: 200, body: { items: allSnapshots(ctx).filter(match).map(snapshotWire) } };
}

export function getSnapshot(req: SimRequest, ctx: SimContext, id: string): SimResponse {
  const s = findSnapshot(ctx, id);
  return s ? { status: 200, body: snapshotWire(s) } : notFound(req.path, `The snapshot '${id}' does not exist.`);
}
