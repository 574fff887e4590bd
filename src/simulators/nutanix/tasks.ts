// Task lifecycle, computed lazily from timestamps: QUEUED for the first fifth of the duration,
// RUNNING with a growing progressPercentage, then SUCCEEDED or FAILED. Effects (the image
// appearing, changing, disappearing) are applied by settle() at completion time, which every
// request calls first, so a task read and an image read in the same instant always agree.
import { randomUUID } from 'node:crypto';
import type { SimContext } from './context.js';
import { typed, type Json } from './envelope.js';
import { MESSAGES } from './errors.js';
import { derivedUuid, normalizeSource, sizeFor, sourceIdentity } from './image-wire.js';
import type { ImageSpec, StoredImage, StoredTask, TaskFailure, TaskKind } from './store.js';
import { rfc3339Micros } from '../time.js';

const OPERATIONS: Record<TaskKind, [string, string]> = {
  create: ['kImageCreate', 'Create Image'],
  update: ['kImageUpdate', 'Update Image'],
  delete: ['kImageDelete', 'Delete Image'],
};

export interface NewTask {
  kind: TaskKind;
  imageExtId: string;
  imageName: string;
  clusterExtIds: string[];
  spec?: ImageSpec;
  expectGeneration?: number;
  plannedFailure?: TaskFailure;
}

export function createTask(ctx: SimContext, nowUs: number, t: NewTask): StoredTask {
  const f = ctx.faults ?? {};
  const roll = ctx.random ?? Math.random;
  const slow = (f.slowTaskRate ?? 0) > 0 && roll() < (f.slowTaskRate ?? 0) ? (f.slowTaskFactor ?? 10) : 1;
  const durUs = Math.max(0, ctx.taskDurationMs) * 1000 * slow;
  const task: StoredTask = {
    extId: `ZXJnb24=:${randomUUID()}`,
    createdUs: nowUs,
    startUs: nowUs + Math.floor(durUs / 5),
    completeUs: nowUs + durUs,
    ownerName: ctx.username,
    ...t,
  };
  const pending = ctx.state.pendingFailures;
  if (pending.count > 0) {
    pending.count--;
    task.plannedFailure = { ...MESSAGES.injected, ...(pending.message !== undefined ? { message: pending.message } : {}) };
  } else if ((f.taskFailureRate ?? 0) > 0 && roll() < (f.taskFailureRate ?? 0)) {
    task.plannedFailure = { ...MESSAGES.injected };
  }
  ctx.state.tasks.push(task);
  return task;
}

function applyMutable(img: StoredImage, spec: ImageSpec): void {
  for (const k of ['description', 'checksum', 'source', 'categoryExtIds', 'clusterLocationExtIds'] as const) delete img[k];
  const source = normalizeSource(spec.source);
  Object.assign(img, spec, source ? { source } : {});
}

function apply(ctx: SimContext, task: StoredTask): NonNullable<StoredTask['result']> {
  if (task.plannedFailure) return { status: 'FAILED', failure: task.plannedFailure };
  const images = ctx.state.images;
  const idx = images.findIndex((i) => i.extId === task.imageExtId);
  if (task.kind === 'create' && task.spec) {
    const img: StoredImage = { extId: task.imageExtId, name: task.spec.name, type: task.spec.type, sizeBytes: sizeFor(task.spec), createTimeUs: task.completeUs, lastUpdateTimeUs: task.completeUs, generation: 1 };
    applyMutable(img, task.spec);
    if (img.clusterLocationExtIds?.length) img.placementPolicyExtId = derivedUuid(`placement:${img.extId}`);
    images.push(img);
    return { status: 'SUCCEEDED' };
  }
  const img = images[idx];
  if (!img) return { status: 'FAILED', failure: MESSAGES.notFound };
  if (task.kind === 'delete') {
    images.splice(idx, 1);
    return { status: 'SUCCEEDED' };
  }
  if (!task.spec) return { status: 'FAILED', failure: MESSAGES.serverError };
  if (task.expectGeneration !== undefined && task.expectGeneration !== img.generation) return { status: 'FAILED', failure: MESSAGES.concurrentUpdate };
  const sourceChanged = sourceIdentity(normalizeSource(task.spec.source)) !== sourceIdentity(img.source);
  applyMutable(img, task.spec);
  if (sourceChanged) img.sizeBytes = sizeFor(task.spec);
  if (img.clusterLocationExtIds?.length) img.placementPolicyExtId ??= derivedUuid(`placement:${img.extId}`);
  img.generation++;
  img.lastUpdateTimeUs = task.completeUs;
  return { status: 'SUCCEEDED' };
}

/** Apply every task that has completed by `nowUs`, in completion order. */
export function settle(ctx: SimContext, nowUs: number): void {
  const due = ctx.state.tasks.filter((t) => !t.result && t.completeUs <= nowUs).sort((a, b) => a.completeUs - b.completeUs);
  for (const t of due) t.result = apply(ctx, t);
  if (due.length > 0) ctx.persist();
}

function status(t: StoredTask, nowUs: number): { status: string; progress: number } {
  if (t.result) return { status: t.result.status, progress: 100 };
  if (nowUs < t.startUs) return { status: 'QUEUED', progress: 0 };
  const span = Math.max(1, t.completeUs - t.startUs);
  return { status: 'RUNNING', progress: Math.min(99, Math.floor(((nowUs - t.startUs) / span) * 100)) };
}

function entities(ctx: SimContext, t: StoredTask): Json[] {
  const ref = (extId: string, name: string, rel: string) => typed('prism.v4.config.EntityReference', { extId, rel, name });
  // The image first: Terraform 2.0-2.3 takes entitiesAffected[0].extId as the new image id.
  const list = [ref(t.imageExtId, t.imageName, 'vmm:content:image')];
  for (const id of t.clusterExtIds) list.push(ref(id, ctx.clusters.find((c) => c.extId === id)?.name ?? id, 'clustermgmt:config:cluster'));
  return list;
}

export function taskWire(ctx: SimContext, t: StoredTask, nowUs: number): Json {
  const s = status(t, nowUs);
  const [operation, operationDescription] = OPERATIONS[t.kind];
  const f: Json = { extId: t.extId, operation, operationDescription, createdTime: rfc3339Micros(t.createdUs) };
  if (s.status !== 'QUEUED') f['startedTime'] = rfc3339Micros(t.startUs);
  if (t.result) f['completedTime'] = rfc3339Micros(t.completeUs);
  f['progressPercentage'] = s.progress;
  // A failed create made nothing, so it names no image a client could mistake for a result.
  const failedCreate = t.kind === 'create' && t.result?.status === 'FAILED';
  const ents = failedCreate ? [] : entities(ctx, t);
  if (ents.length > 0) f['entitiesAffected'] = ents;
  f['isCancelable'] = false;
  if (t.result?.status === 'FAILED') {
    const m = t.result.failure;
    f['errorMessages'] = [typed('prism.v4.error.AppMessage', { message: m.message, severity: 'ERROR', code: m.code, locale: 'en_US', ...(m.errorGroup ? { errorGroup: m.errorGroup } : {}) })];
  }
  f['lastUpdatedTime'] = rfc3339Micros(t.result ? t.completeUs : s.status === 'QUEUED' ? t.createdUs : nowUs);
  if (t.clusterExtIds.length > 0) f['clusterExtIds'] = [...t.clusterExtIds];
  f['isBackgroundTask'] = false;
  f['numberOfSubtasks'] = 0;
  f['numberOfEntitiesAffected'] = ents.length;
  f['status'] = s.status;
  f['ownedBy'] = typed('prism.v4.config.OwnerReference', { extId: '00000000-0000-0000-0000-000000000000', name: t.ownerName });
  const { $reserved, $objectType, ...rest } = typed('prism.v4.config.Task', f);
  return { ...rest, $reserved, $objectType };
}
