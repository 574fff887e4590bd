// GET, PUT (access) and DELETE on /compute/spaces/{spaceId}/images/{id}.
// Official images are readable from every space but belong to nobody in it: changing their
// access or deleting them is 403. PUT exists only in the 2026-02 API; the router answers 404
// for it in 2026-06 mode. Deleting an image keeps its snapshots (docs) and drops its tags.
import type { SimRequest, SimResponse } from '../messages.js';
import type { SimContext } from './context.js';
import { IMAGE_HEADERS, findVisibleImage, imageWire } from './image-wire.js';
import { badRequest, forbidden, notFound, type Violation } from './problems.js';
import type { StoredImage } from './store.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function lookup(req: SimRequest, ctx: SimContext, id: string): StoredImage | SimResponse {
  return findVisibleImage(ctx, id) ?? notFound(req.path, `The image '${id}' does not exist.`);
}

export function getImage(req: SimRequest, ctx: SimContext, id: string): SimResponse {
  const img = lookup(req, ctx, id);
  if ('status' in img) return img;
  return { status: 200, headers: IMAGE_HEADERS, body: imageWire(ctx, img, ctx.clock.nowUs()) };
}

/** The body's wish: true = make public, false = make private, undefined = no change asked. */
function parseAccess(req: SimRequest): boolean | undefined | Violation[] {
  if (req.bodyError !== undefined) return [{ field: '', description: `malformed JSON: ${req.bodyError}` }];
  const body = req.body;
  if (!isObj(body)) return [{ field: '', description: 'the request body must be a JSON object' }];
  const v: Violation[] = [];
  for (const k of Object.keys(body)) if (k !== 'accessCreation') v.push({ field: k, description: `unknown field '${k}'` });
  const ac = body['accessCreation'];
  if (!isObj(ac)) return [...v, { field: 'accessCreation', description: 'accessCreation is required and must be an object' }];
  for (const k of Object.keys(ac)) if (k !== 'additions' && k !== 'removals') v.push({ field: `accessCreation.${k}`, description: `unknown field '${k}'` });
  const parts = (['additions', 'removals'] as const).filter((k) => ac[k] !== undefined);
  if (parts.length !== 1) v.push({ field: 'accessCreation', description: 'specify either accessCreation.additions or accessCreation.removals' });
  for (const k of parts) {
    const a = ac[k];
    if (!isObj(a) || typeof a['isPublic'] !== 'boolean' || Object.keys(a).length !== 1) v.push({ field: `accessCreation.${k}`, description: `accessCreation.${k} must be {"isPublic": true|false}` });
  }
  if (v.length > 0) return v;
  const [part] = parts;
  const flag = (ac[part as string] as Obj)['isPublic'] === true;
  // `removals: {isPublic: true}` is how one makes an image private; isPublic false asks nothing.
  return flag ? part === 'additions' : undefined;
}

export function updateImage(req: SimRequest, ctx: SimContext, id: string): SimResponse {
  const img = lookup(req, ctx, id);
  if ('status' in img) return img;
  const wish = parseAccess(req);
  if (Array.isArray(wish)) return badRequest(req.path, wish);
  if (img.official) return forbidden(req.path, `The image '${id}' is an official image; its access cannot be changed from a space.`);
  if (wish !== undefined && wish !== img.isPublic) {
    img.isPublic = wish;
    ctx.persist();
  }
  return { status: 200, headers: IMAGE_HEADERS, body: imageWire(ctx, img, ctx.clock.nowUs()) };
}

export function deleteImage(req: SimRequest, ctx: SimContext, id: string): SimResponse {
  const img = lookup(req, ctx, id);
  if ('status' in img) return img;
  if (img.official) return forbidden(req.path, `The image '${id}' is an official image and cannot be deleted from a space.`);
  ctx.state.images = ctx.state.images.filter((i) => i.id !== id);
  delete ctx.state.tags[id];
  ctx.persist();
  return { status: 204 };
}
