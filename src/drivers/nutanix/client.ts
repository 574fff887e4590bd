// Raw Prism Central v4.0 calls: one method per operation, wire types in and out. Policy (retries,
// limits, error kinds) lives in the shared HttpClient; what a status means for Nutanix lives here.
import { DriverError } from '../contract.js';
import type { HttpClient, HttpResponse } from '../http/index.js';
import { isObject } from '../../util/json.js';
import { describeNutanixError, errorCodes } from './errors.js';
import { NOT_FOUND_CODE, type WireCluster, type WireImage, type WireListMetadata, type WireTask } from './wire.js';

const IMAGES = '/api/vmm/v4.0/content/images';
const TASKS = '/api/prism/v4.0/config/tasks';
const CLUSTERS = '/api/clustermgmt/v4.0/config/clusters';
export const REQUEST_ID_HEADER = 'NTNX-Request-Id';

export type GetImageResult = { found: true; image: WireImage; etag: string | undefined } | { found: false };
export type Accepted = { status: 'accepted'; taskId: string };

/**
 * Like Go's url.PathEscape, which the official SDK uses for task ids: `ZXJnb24=:uuid` keeps its
 * `=` and `:` (legal in a path segment); only what would break the path is escaped.
 */
export function escapePathSegment(s: string): string {
  return encodeURIComponent(s).replace(/%(24|26|2B|2C|3A|3B|3D|40)/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export class NutanixClient {
  constructor(readonly http: HttpClient) {}

  get requestCount(): number {
    return this.http.requestCount;
  }

  /** A page of a bulk read: its slot comes from the client's `maxBulkInFlight` pool. */
  async listImages(page: number, limit: number, filter?: string, signal?: AbortSignal): Promise<{ images: WireImage[]; total: number | undefined }> {
    const res = await this.http.request({ method: 'GET', path: IMAGES, query: { $page: page, $limit: limit, $filter: filter }, bulk: true, ...sig(signal) });
    return { images: listData<WireImage>(res), total: totalOf(res) };
  }

  async getImage(id: string, signal?: AbortSignal): Promise<GetImageResult> {
    const path = `${IMAGES}/${escapePathSegment(id)}`;
    const res = await this.http.request({ method: 'GET', path, accept: [404], ...sig(signal) });
    if (res.status === 404) {
      notFoundOrThrow('GET', path, res);
      return { found: false };
    }
    return { found: true, image: objectData<WireImage>('GET', path, res), etag: res.headers.get('etag') ?? undefined };
  }

  async createImage(body: WireImage, requestId: string, secrets: readonly string[], signal?: AbortSignal): Promise<Accepted> {
    const res = await this.http.request({ method: 'POST', path: IMAGES, body, headers: { [REQUEST_ID_HEADER]: requestId }, secrets, ...sig(signal) });
    return accepted('POST', IMAGES, res);
  }

  /** `stale` when the ETag no longer matches (412): the caller re-reads and re-applies. */
  async updateImage(
    id: string,
    body: WireImage,
    etag: string | undefined,
    requestId: string,
    secrets: readonly string[],
    signal?: AbortSignal,
  ): Promise<Accepted | { status: 'stale' }> {
    const path = `${IMAGES}/${escapePathSegment(id)}`;
    const headers: Record<string, string> = { [REQUEST_ID_HEADER]: requestId };
    if (etag !== undefined) headers['If-Match'] = etag;
    const res = await this.http.request({ method: 'PUT', path, body, headers, accept: [412], secrets, ...sig(signal) });
    if (res.status === 412) return { status: 'stale' };
    return accepted('PUT', path, res);
  }

  /** `gone` when the image does not exist (any more): a delete that has nothing left to do. */
  async deleteImage(id: string, requestId: string, signal?: AbortSignal): Promise<Accepted | { status: 'gone' }> {
    const path = `${IMAGES}/${escapePathSegment(id)}`;
    const res = await this.http.request({ method: 'DELETE', path, headers: { [REQUEST_ID_HEADER]: requestId }, accept: [404], ...sig(signal) });
    if (res.status === 404) {
      notFoundOrThrow('DELETE', path, res);
      return { status: 'gone' };
    }
    return accepted('DELETE', path, res);
  }

  async getTask(taskId: string, signal?: AbortSignal): Promise<WireTask> {
    const path = `${TASKS}/${escapePathSegment(taskId)}`;
    const res = await this.http.request({ method: 'GET', path, noCache: true, ...sig(signal) });
    return objectData<WireTask>('GET', path, res);
  }

  async listClusters(filter: string, signal?: AbortSignal): Promise<WireCluster[]> {
    const res = await this.http.request({ method: 'GET', path: CLUSTERS, query: { $filter: filter }, ...sig(signal) });
    return listData<WireCluster>(res);
  }
}

function sig(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

/**
 * Only the API's own "entity not found" answer means gone. Any other 404 (a PC without the
 * v4.0 API answers unknown versions with a plain-text 404) must not be read as "deleted".
 */
function notFoundOrThrow(method: string, path: string, res: HttpResponse): void {
  if (errorCodes(res.body).includes(NOT_FOUND_CODE)) return;
  const detail = describeNutanixError(res.body);
  throw new DriverError('invalid', `${method} ${path}: HTTP 404${detail ? `: ${detail}` : ''} (not an image-not-found answer; does the endpoint serve the vmm v4.0 API?)`, {
    definitive: true,
    status: 404,
  });
}

function objectData<T>(method: string, path: string, res: HttpResponse): T {
  const data = isObject(res.body) ? res.body['data'] : undefined;
  if (!isObject(data)) {
    throw new DriverError('transient', `${method} ${path}: HTTP ${res.status} without a data object`, { status: res.status });
  }
  return data as T;
}

/** An empty list comes back with `data` absent, null or []; an answer that is not JSON (a login page) is no list at all. */
function listData<T>(res: HttpResponse): T[] {
  if (!isObject(res.body)) throw notAList(res);
  const data = isObject(res.body) ? res.body['data'] : undefined;
  return Array.isArray(data) ? (data.filter(isObject) as T[]) : [];
}

function notAList(res: HttpResponse): DriverError {
  const type = res.headers.get('content-type') ?? 'no content type';
  return new DriverError('transient', `a list answered HTTP ${res.status} with a body that is not a JSON object (${type.split(';')[0] ?? type}), not a list of images`, { status: res.status });
}

function totalOf(res: HttpResponse): number | undefined {
  const meta = isObject(res.body) ? (res.body['metadata'] as WireListMetadata | undefined) : undefined;
  const total = isObject(meta) ? meta.totalAvailableResults : undefined;
  return typeof total === 'number' && Number.isFinite(total) ? total : undefined;
}

/** The server accepted the call: from here on a failure is not definitive (it may be running). */
function accepted(method: string, path: string, res: HttpResponse): Accepted {
  const data = isObject(res.body) ? res.body['data'] : undefined;
  const extId = isObject(data) ? data['extId'] : undefined;
  if (typeof extId !== 'string' || extId === '') {
    throw new DriverError('transient', `${method} ${path}: HTTP ${res.status} without a task reference`, { definitive: false, status: res.status });
  }
  return { status: 'accepted', taskId: extId };
}
