// GET /api/vmm/v4.0/content/images and GET .../images/{extId}.
import type { SimRequest, SimResponse } from '../messages.js';
import { IMAGES_PATH, type SimContext } from './context.js';
import { apiResponse, metadata } from './envelope.js';
import { MESSAGES, appError, schemaError, type FieldProblem } from './errors.js';
import { SELECTABLE, etagOf, imageWire } from './image-wire.js';
import { UUID_RE } from './image-validate.js';
import { pageOf, parseListQuery } from './list-query.js';
import type { StoredImage } from './store.js';
import { rfc3339Micros } from '../time.js';

export const WRAPPERS = {
  create: 'vmm.v4.content.CreateImageApiResponse',
  get: 'vmm.v4.content.GetImageApiResponse',
  list: 'vmm.v4.content.ListImagesApiResponse',
  update: 'vmm.v4.content.UpdateImageApiResponse',
  delete: 'vmm.v4.content.DeleteImageApiResponse',
} as const;

export function badRequest(ctx: SimContext, wrapper: string, req: SimRequest, problems: readonly FieldProblem[]): SimResponse {
  return schemaError('vmm', wrapper, req.path, problems, rfc3339Micros(ctx.clock.nowUs()));
}

/** 400 for a malformed extId, 404 for an unknown one, else the image. */
export function findImage(ctx: SimContext, req: SimRequest, extId: string, wrapper: string): StoredImage | SimResponse {
  if (!UUID_RE.test(extId)) return badRequest(ctx, wrapper, req, [{ location: 'path', attributePath: 'extId', message: `extId '${extId}' is not a valid UUID` }]);
  return ctx.state.images.find((i) => i.extId === extId) ?? appError(404, 'vmm', wrapper, MESSAGES.notFound);
}

export function isResponse(v: StoredImage | SimResponse): v is SimResponse {
  return 'status' in v;
}

export function getImage(req: SimRequest, ctx: SimContext, extId: string): SimResponse {
  const img = findImage(ctx, req, extId, WRAPPERS.get);
  if (isResponse(img)) return img;
  const meta = metadata({ links: [{ href: `${ctx.baseUrl}${IMAGES_PATH}/${img.extId}`, rel: 'self' }] });
  return { status: 200, headers: { etag: etagOf(img) }, body: apiResponse(WRAPPERS.get, imageWire(img), meta) };
}

export function listImages(req: SimRequest, ctx: SimContext): SimResponse {
  const q = parseListQuery(req.query, {
    filterFields: ['name', 'description', 'type', 'sizeBytes'],
    orderFields: ['description', 'lastUpdateTime', 'name', 'sizeBytes', 'type'],
    select: SELECTABLE,
  });
  if ('problems' in q) return badRequest(ctx, WRAPPERS.list, req, q.problems);
  const rows = ctx.state.images.map((img) => ({
    name: img.name,
    description: img.description,
    type: img.type,
    sizeBytes: img.sizeBytes,
    lastUpdateTime: img.lastUpdateTimeUs,
    img,
  }));
  const page = pageOf(rows, q, `${ctx.baseUrl}${IMAGES_PATH}`);
  return { status: 200, body: apiResponse(WRAPPERS.list, page.items?.map((r) => imageWire(r.img, q.select)), page.metadata) };
}
