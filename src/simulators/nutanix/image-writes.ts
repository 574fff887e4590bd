// POST, PUT and DELETE on images: all asynchronous (202 + TaskReference), all idempotent on
// NTNX-Request-Id (a replay returns the original task and does nothing new, even after the
// task has finished and even after a restart), PUT guarded by If-Match (428/412).
import { randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse } from '../messages.js';
import { IMAGES_PATH, TASKS_PATH, type SimContext } from './context.js';
import { apiResponse, metadata, taskReference } from './envelope.js';
import { MESSAGES, appError } from './errors.js';
import { etagOf, normalizeSource, sourceIdentity } from './image-wire.js';
import { validateImageBody } from './image-validate.js';
import { WRAPPERS, badRequest, findImage, isResponse } from './image-reads.js';
import { forgetCredentials, type ImageSpec, type StoredImage, type TaskFailure } from './store.js';
import { createTask, type NewTask } from './tasks.js';

function accepted(ctx: SimContext, wrapper: string, taskExtId: string): SimResponse {
  const meta = metadata({
    links: [
      { href: `${ctx.baseUrl}${TASKS_PATH}/${taskExtId}`, rel: 'self' },
      { href: `${ctx.baseUrl}${IMAGES_PATH}`, rel: 'image-list' },
    ],
  });
  return { status: 202, body: apiResponse(wrapper, taskReference(taskExtId), meta) };
}

function requestId(req: SimRequest): string | undefined {
  const v = req.headers['ntnx-request-id']?.trim();
  return v === undefined || v === '' ? undefined : v;
}

function missingRequestId(ctx: SimContext, wrapper: string, req: SimRequest): SimResponse {
  return badRequest(ctx, wrapper, req, [{ location: 'header', attributePath: 'NTNX-Request-Id', message: 'Required header NTNX-Request-Id is missing' }]);
}

/** Weak/quoted forms are tolerated so a client that quotes the ETag is not told it is stale. */
function sameEtag(ifMatch: string, img: StoredImage): boolean {
  const want = etagOf(img);
  return ifMatch.split(',').some((t) => t.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1') === want || t.trim() === '*');
}

/** Failures a real server only finds out while running the task (download, placement). */
function asyncFailure(ctx: SimContext, spec: ImageSpec, previous?: ImageSpec): TaskFailure | undefined {
  const url = spec.source?.['url'];
  const changed = sourceIdentity(normalizeSource(spec.source)) !== sourceIdentity(previous?.source);
  if (typeof url === 'string' && changed) {
    const host = /^[a-z]+:\/\/([^/:?#]+)/i.exec(url)?.[1]?.toLowerCase() ?? '';
    if (host.endsWith('.invalid') || url.toLowerCase().includes('fail')) {
      return { ...MESSAGES.downloadFailed, message: `${MESSAGES.downloadFailed.message} Unable to fetch ${url}.` };
    }
  }
  const unknown = (spec.clusterLocationExtIds ?? []).filter((id) => !ctx.clusters.some((c) => c.extId === id));
  if (unknown.length > 0) return { ...MESSAGES.unknownCluster, message: `${MESSAGES.unknownCluster.message} Unknown: ${unknown.join(', ')}.` };
  return undefined;
}

function startTask(ctx: SimContext, nowUs: number, wrapper: string, rid: string | undefined, t: NewTask): SimResponse {
  const task = createTask(ctx, nowUs, t);
  if (rid !== undefined) ctx.state.requestIds[rid] = task.extId;
  ctx.persist();
  return accepted(ctx, wrapper, task.extId);
}

function parsedSpec(ctx: SimContext, req: SimRequest, wrapper: string, requireSource: boolean): ImageSpec | SimResponse {
  if (req.bodyError !== undefined) return badRequest(ctx, wrapper, req, [{ location: 'body', attributePath: '', message: `Malformed JSON: ${req.bodyError}` }]);
  const v = validateImageBody(req.body, { requireSource });
  // Validated with its password (the API requires one), kept without it (store.ts).
  return 'problems' in v ? badRequest(ctx, wrapper, req, v.problems) : forgetCredentials(v.spec);
}

export function createImage(req: SimRequest, ctx: SimContext, nowUs: number): SimResponse {
  const rid = requestId(req);
  if (rid === undefined) return missingRequestId(ctx, WRAPPERS.create, req);
  const prior = ctx.state.requestIds[rid];
  if (prior !== undefined) return accepted(ctx, WRAPPERS.create, prior);
  const spec = parsedSpec(ctx, req, WRAPPERS.create, true);
  if ('status' in spec) return spec;
  const t: NewTask = { kind: 'create', imageExtId: randomUUID(), imageName: spec.name, clusterExtIds: spec.clusterLocationExtIds ?? [], spec };
  const failure = asyncFailure(ctx, spec);
  if (failure) t.plannedFailure = failure;
  return startTask(ctx, nowUs, WRAPPERS.create, rid, t);
}

export function updateImage(req: SimRequest, ctx: SimContext, nowUs: number, extId: string): SimResponse {
  const ifMatch = req.headers['if-match'];
  if (ifMatch === undefined || ifMatch.trim() === '') return appError(428, 'vmm', WRAPPERS.update, MESSAGES.ifMatchMissing);
  const rid = requestId(req);
  if (rid === undefined) return missingRequestId(ctx, WRAPPERS.update, req);
  const prior = ctx.state.requestIds[rid];
  if (prior !== undefined) return accepted(ctx, WRAPPERS.update, prior);
  const img = findImage(ctx, req, extId, WRAPPERS.update);
  if (isResponse(img)) return img;
  const spec = parsedSpec(ctx, req, WRAPPERS.update, false);
  if ('status' in spec) return spec;
  if (!sameEtag(ifMatch, img)) return appError(412, 'vmm', WRAPPERS.update, MESSAGES.ifMatchStale);
  const t: NewTask = { kind: 'update', imageExtId: img.extId, imageName: spec.name, clusterExtIds: spec.clusterLocationExtIds ?? [], spec, expectGeneration: img.generation };
  const failure = asyncFailure(ctx, spec, img);
  if (failure) t.plannedFailure = failure;
  return startTask(ctx, nowUs, WRAPPERS.update, rid, t);
}

/** The v4.0 spec declares no headers on DELETE: If-Match and NTNX-Request-Id are honoured if sent. */
export function deleteImage(req: SimRequest, ctx: SimContext, nowUs: number, extId: string): SimResponse {
  const rid = requestId(req);
  const prior = rid === undefined ? undefined : ctx.state.requestIds[rid];
  if (prior !== undefined) return accepted(ctx, WRAPPERS.delete, prior);
  const img = findImage(ctx, req, extId, WRAPPERS.delete);
  if (isResponse(img)) return img;
  const ifMatch = req.headers['if-match'];
  if (ifMatch !== undefined && ifMatch.trim() !== '' && !sameEtag(ifMatch, img)) return appError(412, 'vmm', WRAPPERS.delete, MESSAGES.ifMatchStale);
  const t: NewTask = { kind: 'delete', imageExtId: img.extId, imageName: img.name, clusterExtIds: img.clusterLocationExtIds ?? [] };
  return startTask(ctx, nowUs, WRAPPERS.delete, rid, t);
}
