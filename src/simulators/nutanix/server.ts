// Routing and the cross-cutting rules: Basic auth on every call, settle finished tasks before
// handling anything, percent-decoded path parameters (task ids carry '=' and ':').
import { timingSafeEqual } from 'node:crypto';
import type { SimHandler } from '../http.js';
import type { SimRequest, SimResponse } from '../messages.js';
import { listClusters } from './clusters.js';
import { CLUSTERS_PATH, IMAGES_PATH, TASKS_PATH, type SimContext } from './context.js';
import { apiResponse, metadata } from './envelope.js';
import { MESSAGES, NOT_FOUND_TEXT, appError, schemaError, type Namespace } from './errors.js';
import { WRAPPERS, getImage, listImages } from './image-reads.js';
import { createImage, deleteImage, updateImage } from './image-writes.js';
import { settle, taskWire } from './tasks.js';
import { rfc3339Micros } from '../time.js';

const TASK_ID_RE = /^[a-zA-Z0-9/+]*={0,2}:[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;
const TASK_WRAPPER = 'prism.v4.config.GetTaskApiResponse';

type Route = { ns: Namespace; wrapper: string; run: (req: SimRequest, ctx: SimContext, nowUs: number) => SimResponse };

function getTask(req: SimRequest, ctx: SimContext, nowUs: number, extId: string): SimResponse {
  if (!TASK_ID_RE.test(extId)) {
    return schemaError('prism', TASK_WRAPPER, req.path, [{ location: 'path', attributePath: 'extId', message: `extId '${extId}' is not a valid task id` }], rfc3339Micros(nowUs));
  }
  const task = ctx.state.tasks.find((t) => t.extId === extId);
  if (!task) return appError(404, 'prism', TASK_WRAPPER, MESSAGES.notFound);
  const data = taskWire(ctx, task, nowUs);
  const meta = metadata({
    links: [{ href: `${ctx.baseUrl}${TASKS_PATH}/${extId}`, rel: 'self' }],
    withTruncated: false,
    extraInfo: [
      { name: 'numSubTasks', value: 0 },
      { name: 'numEntitiesAffected', value: data['numberOfEntitiesAffected'] },
      { name: 'numClusterExtIds', value: task.clusterExtIds.length },
    ],
  });
  return { status: 200, body: apiResponse(TASK_WRAPPER, data, meta) };
}

const unversionedInfo: Route['run'] = () => ({ status: 200, body: { data: 'v4.0' } });

function route(method: string, segs: readonly string[]): Route | 'method' | undefined {
  const path = '/' + segs.join('/');
  const tail = segs[segs.length - 1] ?? '';
  const parent = '/' + segs.slice(0, -1).join('/');
  const pick = (table: Record<string, Route>): Route | 'method' => table[method] ?? 'method';
  if (path === IMAGES_PATH) {
    return pick({
      GET: { ns: 'vmm', wrapper: WRAPPERS.list, run: (r, c) => listImages(r, c) },
      POST: { ns: 'vmm', wrapper: WRAPPERS.create, run: createImage },
    });
  }
  if (parent === IMAGES_PATH) {
    return pick({
      GET: { ns: 'vmm', wrapper: WRAPPERS.get, run: (r, c) => getImage(r, c, tail) },
      PUT: { ns: 'vmm', wrapper: WRAPPERS.update, run: (r, c, n) => updateImage(r, c, n, tail) },
      DELETE: { ns: 'vmm', wrapper: WRAPPERS.delete, run: (r, c, n) => deleteImage(r, c, n, tail) },
    });
  }
  if (parent === TASKS_PATH) return pick({ GET: { ns: 'prism', wrapper: TASK_WRAPPER, run: (r, c, n) => getTask(r, c, n, tail) } });
  if (path === CLUSTERS_PATH) return pick({ GET: { ns: 'clustermgmt', wrapper: 'clustermgmt.v4.config.ListClustersApiResponse', run: (r, c) => listClusters(r, c) } });
  const info = /^\/api\/(vmm|prism|clustermgmt)\/unversioned\/info$/.exec(path);
  if (info) return pick({ OPTIONS: { ns: info[1] as Namespace, wrapper: 'unversioned.info', run: unversionedInfo } });
  return undefined;
}

function authorized(header: string | undefined, username: string, password: string): boolean {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1]) return false;
  const got = Buffer.from(Buffer.from(m[1], 'base64').toString('utf8'));
  const want = Buffer.from(`${username}:${password}`);
  return got.length === want.length && timingSafeEqual(got, want);
}

export function nutanixHandler(ctx: SimContext, password: string): SimHandler {
  return (req) => {
    let segs: string[];
    try {
      segs = req.path.split('/').filter((s) => s !== '').map(decodeURIComponent);
    } catch {
      return { status: 400, body: NOT_FOUND_TEXT };
    }
    const r = route(req.method, segs);
    if (r === undefined) return { status: 404, body: NOT_FOUND_TEXT };
    if (r === 'method') return { status: 405, headers: { allow: 'GET, POST, PUT, DELETE, OPTIONS' }, body: 'Method Not Allowed' };
    if (!authorized(req.headers['authorization'], ctx.username, password)) {
      return appError(401, r.ns, r.wrapper, MESSAGES.unauthorized, { 'www-authenticate': 'Basic realm="Prism Central"' });
    }
    const nowUs = ctx.clock.nowUs();
    settle(ctx, nowUs);
    return r.run(req, ctx, nowUs);
  };
}
