// Routing and the cross-cutting rules, in the order the gateway applies them: an unknown
// operation is 404 before anything else (so a 2026-06 PUT /images/{id} is 404 whatever the
// token), then the Bearer token, then the space (404 space_not_found for any other space).
import type { SimHandler } from '../http.js';
import type { SimRequest, SimResponse } from '../messages.js';
import { checkBearer, tokenEndpoint } from './auth.js';
import type { SimContext } from './context.js';
import { createImage } from './image-create.js';
import { deleteImage, getImage, updateImage } from './image-handlers.js';
import { listImages } from './image-list.js';
import { oauthError, problem } from './problems.js';
import { getSnapshot, listSnapshots } from './snapshots.js';
import { createTags, deleteTags, readTags } from './tags.js';
import { getVm, listVms } from './vms.js';

type Run = (req: SimRequest, ctx: SimContext) => SimResponse;
type Table = Partial<Record<string, Run>>;

/** Space-relative routes; `id` is the last path segment where the template has one. */
function spaceRoutes(rest: readonly string[], ctx: SimContext): Table | undefined {
  const [a, b, c] = rest;
  if (c !== undefined) return undefined;
  if (a === 'images' && b === undefined) return { GET: listImages, POST: createImage };
  if (a === 'images' && b !== undefined) {
    const t: Table = { GET: (r, x) => getImage(r, x, b), DELETE: (r, x) => deleteImage(r, x, b) };
    if (ctx.apiVersion === '2026-02') t['PUT'] = (r, x) => updateImage(r, x, b);
    return t;
  }
  if (a === 'bulk' && b === 'tags') return { PATCH: createTags, DELETE: deleteTags };
  if (a === 'tags' && b === undefined) return { GET: readTags };
  if (a === 'vms') return { GET: b === undefined ? listVms : (r, x) => getVm(r, x, b) };
  if (a === 'snapshots') return { GET: b === undefined ? listSnapshots : (r, x) => getSnapshot(r, x, b) };
  return undefined;
}

function noSuchOperation(req: SimRequest, ctx: SimContext): SimResponse {
  return problem(404, {
    code: 'resource_not_found',
    title: 'NotFound',
    detail: `The operation ${req.method} ${req.path} does not exist in the Numspot API ${ctx.apiVersion}.`,
    instance: req.path,
  });
}

function compute(req: SimRequest, ctx: SimContext, segs: readonly string[]): SimResponse {
  const [, , spaceId = '', ...rest] = segs;
  const table = spaceRoutes(rest, ctx);
  const run = table?.[req.method];
  if (!table) return noSuchOperation(req, ctx);
  if (!run) {
    // The 2026-06 API has no PUT on an image at all: same answer as an unknown operation.
    if (req.method === 'PUT' && rest[0] === 'images') return noSuchOperation(req, ctx);
    return problem(405, { code: 'invalid_parameter', title: 'MethodNotAllowed', detail: `${req.method} is not supported on ${req.path}.`, instance: req.path, headers: { allow: Object.keys(table).join(', ') } });
  }
  const unauthenticated = checkBearer(req, ctx);
  if (unauthenticated) return unauthenticated;
  if (spaceId !== ctx.spaceId) return problem(404, { code: 'space_not_found', title: 'SpaceNotFound', detail: `The space '${spaceId}' does not exist or is not accessible with this token.`, instance: req.path });
  return run(req, ctx);
}

export function numspotHandler(ctx: SimContext): SimHandler {
  return (req) => {
    let segs: string[];
    try {
      segs = req.path.split('/').filter((s) => s !== '').map(decodeURIComponent);
    } catch {
      return noSuchOperation(req, ctx);
    }
    if (segs[0] === 'compute' && segs[1] === 'spaces' && segs.length >= 4) return compute(req, ctx, segs);
    if (req.path === '/iam/token' && req.method === 'POST') return tokenEndpoint(req, ctx);
    // S3 key conversion is not simulated; the Terraform provider ignores any non-200 here.
    if (req.path === '/iam/token/convert') return oauthError(404, 'not_found', 'Token conversion to object storage keys is not available in the simulator.');
    return noSuchOperation(req, ctx);
  };
}
