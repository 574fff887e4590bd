// PATCH/DELETE /bulk/tags (204, empty body) and GET /tags. Tags live apart from the resources,
// as in the real API, and show up read-only in Image.tags / Vm.tags / Snapshot.tags.
//  - PATCH upserts by key (a known key keeps its place and takes the new value); max 50 per
//    resource; all-or-nothing: an unknown or official resource id fails the whole request.
//  - DELETE removes a key only when the value matches exactly (spec). A tag given WITHOUT a
//    `value` removes the key whatever its value (Outscale's DeleteTags semantics; the spec marks
//    `value` required, the simulator is lenient there). `"value": ""` matches only an empty value.
//  - Tagging a pending image is allowed (recorded).
import type { SimRequest, SimResponse } from '../messages.js';
import { tagsOf, type SimContext } from './context.js';
import { badRequest, forbidden, invalidResource, type Violation } from './problems.js';
import { compileFilters, type FilterTable } from './query.js';
import type { SeedTag } from './seed.js';
import { findSnapshot } from './snapshots.js';
import { findVm } from './vms.js';

export const MAX_TAGS_PER_RESOURCE = 50;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
type TagInput = { key: string; value?: string };
type ResourceType = 'image' | 'vm' | 'snapshot';

function resourceType(ctx: SimContext, id: string): ResourceType | 'official' | undefined {
  if (ctx.state.images.some((i) => i.id === id)) return 'image';
  if (ctx.officials.some((i) => i.id === id)) return 'official';
  if (findVm(ctx, id)) return 'vm';
  if (findSnapshot(ctx, id)) return 'snapshot';
  return undefined;
}

function parseBody(req: SimRequest, valueRequired: boolean): { ids: string[]; tags: TagInput[] } | Violation[] {
  if (req.bodyError !== undefined) return [{ field: '', description: `malformed JSON: ${req.bodyError}` }];
  const b = req.body;
  if (!isObj(b)) return [{ field: '', description: 'the request body must be a JSON object' }];
  const v: Violation[] = [];
  for (const k of Object.keys(b)) if (k !== 'resourceIds' && k !== 'tags') v.push({ field: k, description: `unknown field '${k}'` });
  const ids = b['resourceIds'];
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((i) => typeof i !== 'string')) v.push({ field: 'resourceIds', description: 'resourceIds must be a non-empty array of strings' });
  const tags = b['tags'];
  if (!Array.isArray(tags) || tags.length === 0) v.push({ field: 'tags', description: 'tags must be a non-empty array' });
  else {
    tags.forEach((t, i) => {
      const at = `tags[${i}]`;
      if (!isObj(t)) return void v.push({ field: at, description: 'each tag must be an object' });
      for (const k of Object.keys(t)) if (k !== 'key' && k !== 'value') v.push({ field: `${at}.${k}`, description: `unknown field '${k}'` });
      if (typeof t['key'] !== 'string' || t['key'].length < 1 || t['key'].length > 128) v.push({ field: `${at}.key`, description: 'key must be a string of 1 to 128 characters' });
      const value = t['value'];
      if (value === undefined ? valueRequired : typeof value !== 'string' || value.length > 255) v.push({ field: `${at}.value`, description: 'value must be a string of 0 to 255 characters' });
    });
  }
  return v.length > 0 ? v : { ids: ids as string[], tags: tags as TagInput[] };
}

/** Every id must name a taggable resource of the space, or nothing is changed. */
function checkResources(req: SimRequest, ctx: SimContext, ids: readonly string[]): SimResponse | undefined {
  for (const id of ids) {
    const type = resourceType(ctx, id);
    if (type === undefined) return invalidResource(req.path, `The resource '${id}' doesn't exist.`);
    if (type === 'official') return forbidden(req.path, `The image '${id}' is an official image; it cannot be tagged from a space.`);
  }
  return undefined;
}

export function createTags(req: SimRequest, ctx: SimContext): SimResponse {
  const p = parseBody(req, true);
  if (Array.isArray(p)) return badRequest(req.path, p);
  const bad = checkResources(req, ctx, p.ids);
  if (bad) return bad;
  const next = new Map<string, SeedTag[]>();
  for (const id of new Set(p.ids)) {
    const list = (ctx.state.tags[id] ?? []).map((t) => ({ ...t }));
    for (const t of p.tags) {
      const hit = list.find((x) => x.key === t.key);
      if (hit) hit.value = t.value ?? '';
      else list.push({ key: t.key, value: t.value ?? '' });
    }
    if (list.length > MAX_TAGS_PER_RESOURCE) return badRequest(req.path, [{ field: 'tags', description: `a resource can have at most ${MAX_TAGS_PER_RESOURCE} tags ('${id}' would have ${list.length})` }], `TagLimitExceeded: at most ${MAX_TAGS_PER_RESOURCE} tags per resource.`);
    next.set(id, list);
  }
  for (const [id, list] of next) ctx.state.tags[id] = list;
  ctx.persist();
  return { status: 204 };
}

export function deleteTags(req: SimRequest, ctx: SimContext): SimResponse {
  const p = parseBody(req, false);
  if (Array.isArray(p)) return badRequest(req.path, p);
  const bad = checkResources(req, ctx, p.ids);
  if (bad) return bad;
  for (const id of new Set(p.ids)) {
    const gone = (t: SeedTag) => p.tags.some((d) => d.key === t.key && (d.value === undefined || d.value === t.value));
    ctx.state.tags[id] = (ctx.state.tags[id] ?? []).filter((t) => !gone(t));
  }
  ctx.persist();
  return { status: 204 };
}

type TagRow = SeedTag & { resourceId: string; resourceType: ResourceType };

const FILTERS: FilterTable<TagRow> = {
  keys: { kind: 'strings', values: (t) => [t.key] },
  values: { kind: 'strings', values: (t) => [t.value] },
  resourceIds: { kind: 'strings', values: (t) => [t.resourceId] },
  resourceTypes: { kind: 'strings', values: (t) => [t.resourceType] },
};

export function readTags(req: SimRequest, ctx: SimContext): SimResponse {
  const match = compileFilters(req, FILTERS);
  if (Array.isArray(match)) return badRequest(req.path, match);
  const rows: TagRow[] = [];
  for (const id of Object.keys(ctx.state.tags)) {
    const type = resourceType(ctx, id);
    if (type === undefined || type === 'official') continue;
    for (const t of tagsOf(ctx, id)) rows.push({ key: t.key, value: t.value, resourceId: id, resourceType: type });
  }
  const items = rows.filter(match).map((t) => ({ key: t.key, resourceId: t.resourceId, resourceType: t.resourceType, value: t.value }));
  return { status: 200, body: { items } };
}
