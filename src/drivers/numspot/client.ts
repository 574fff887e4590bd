// Raw Numspot compute calls: one method per operation, wire types in and out, every path under
// /compute/spaces/{spaceId}. Policy (retries, limits, timeouts, error kinds) lives in the shared
// HttpClient; the bearer token, the one refresh on 401 and what a 404 means live here.
import { DriverError } from '../contract.js';
import { redact, type HttpClient, type HttpRequest, type HttpResponse } from '../http/index.js';
import { isObject } from '../../util/json.js';
import type { TokenSource } from './auth.js';
import { describeNumspotError, isSpaceNotFound } from './errors.js';
import type { WireCreateImage, WireImage, WireList, WireSnapshot, WireTagsBody, WireUpdateImage, WireVm } from './wire.js';

export type Query = Record<string, string | number | readonly string[] | undefined>;
export type GetImageResult = { found: true; image: WireImage } | { found: false };
export type AccessResult = { status: 'updated'; image: WireImage } | { status: 'unsupported'; httpStatus: number } | { status: 'gone' };

export class NumspotClient {
  private readonly base: string;

  constructor(
    readonly http: HttpClient,
    private readonly tokens: TokenSource,
    spaceId: string,
  ) {
    this.base = `/compute/spaces/${encodeURIComponent(spaceId)}`;
  }

  get requestCount(): number {
    return this.http.requestCount;
  }

  get imagesPath(): string {
    return `${this.base}/images`;
  }

  imagePath(id: string): string {
    return `${this.base}/images/${encodeURIComponent(id)}`;
  }

  async getImage(id: string, signal?: AbortSignal): Promise<GetImageResult> {
    const path = this.imagePath(id);
    const res = await this.call({ method: 'GET', path, accept: [404], ...sig(signal) });
    if (res.status === 404) return notFound('GET', path, res);
    return { found: true, image: imageOf('GET', path, res) };
  }

  async listImages(query: Query, signal?: AbortSignal): Promise<WireImage[]> {
    return items<WireImage>(await this.call({ method: 'GET', path: this.imagesPath, query, ...sig(signal) }));
  }

  /** 201 with the image, or 409 handed back (the caller explains the name conflict). */
  createImage(body: WireCreateImage, signal?: AbortSignal): Promise<HttpResponse> {
    return this.call({ method: 'POST', path: this.imagesPath, body, accept: [409], ...sig(signal) });
  }

  /** `unsupported` where the API has no UpdateImage (2026-06: no route, 404/405). */
  async updateImage(id: string, body: WireUpdateImage, signal?: AbortSignal): Promise<AccessResult> {
    const path = this.imagePath(id);
    const res = await this.call({ method: 'PUT', path, body, accept: [404, 405, 501], ...sig(signal) });
    if (res.status === 405 || res.status === 501) return { status: 'unsupported', httpStatus: res.status };
    if (res.status === 404) {
      // A missing route and a missing image both answer 404: the image itself settles which.
      const still = await this.getImage(id, signal);
      return still.found ? { status: 'unsupported', httpStatus: 404 } : { status: 'gone' };
    }
    return { status: 'updated', image: imageOf('PUT', path, res) };
  }

  /** 204 → deleted; 404 → already gone; 409/424 handed back for the caller's retry loop. */
  async deleteImage(id: string, signal?: AbortSignal): Promise<'deleted' | 'gone' | HttpResponse> {
    const path = this.imagePath(id);
    const res = await this.call({ method: 'DELETE', path, accept: [404, 409, 424], ...sig(signal) });
    if (res.status === 404) {
      notFound('DELETE', path, res);
      return 'gone';
    }
    if (res.status === 409 || res.status === 424) return res;
    return 'deleted';
  }

  async createTags(body: WireTagsBody, signal?: AbortSignal): Promise<void> {
    await this.call({ method: 'PATCH', path: `${this.base}/bulk/tags`, body, ...sig(signal) });
  }

  async deleteTags(body: WireTagsBody, signal?: AbortSignal): Promise<void> {
    await this.call({ method: 'DELETE', path: `${this.base}/bulk/tags`, body, ...sig(signal) });
  }

  async listVms(query: Query, signal?: AbortSignal): Promise<WireVm[]> {
    return items<WireVm>(await this.call({ method: 'GET', path: `${this.base}/vms`, query, ...sig(signal) }));
  }

  async listSnapshots(query: Query, signal?: AbortSignal): Promise<WireSnapshot[]> {
    return items<WireSnapshot>(await this.call({ method: 'GET', path: `${this.base}/snapshots`, query, ...sig(signal) }));
  }

  /**
   * With the bearer token and, on GET, `Cache-Control: no-cache` (image answers say
   * `public, max-age=300`: a cache between us and the API would freeze `pending`). A 401 gets
   * one fresh token and one more attempt: the server refused the request, so even a POST may go
   * again. A second 401 is an auth error.
   */
  private async call(req: HttpRequest): Promise<HttpResponse> {
    const first = await this.attempt(req, await this.tokens.token());
    if (first.res.status !== 401) return first.res;
    this.tokens.invalidate(first.token);
    const second = await this.attempt(req, await this.tokens.token());
    if (second.res.status !== 401) return second.res;
    const detail = describeNumspotError(second.res.body);
    const message = `${req.method} ${req.path}: HTTP 401${detail ? `: ${detail}` : ''} (refused even with a fresh token; check the service account's permissions on this space)`;
    throw new DriverError('auth', redact(message, this.tokens.secrets()), { definitive: true, status: 401 });
  }

  private async attempt(req: HttpRequest, token: string): Promise<{ res: HttpResponse; token: string }> {
    const res = await this.http.request({
      ...req,
      headers: { ...req.headers, Authorization: `Bearer ${token}` },
      accept: [...(req.accept ?? []), 401],
      noCache: req.method === 'GET',
      secrets: [...(req.secrets ?? []), token],
    });
    return { res, token };
  }
}

function sig(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

/** An image 404 is "not found"; a space 404 (wrong space_id) is a configuration error. */
function notFound(method: string, path: string, res: HttpResponse): { found: false } {
  if (!isSpaceNotFound(res.body)) return { found: false };
  const detail = describeNumspotError(res.body);
  throw new DriverError('invalid', `${method} ${path}: HTTP 404${detail ? `: ${detail}` : ''} (the space does not exist: check space_id)`, {
    definitive: true,
    status: 404,
  });
}

function imageOf(method: string, path: string, res: HttpResponse): WireImage {
  if (!isObject(res.body) || typeof res.body['id'] !== 'string') {
    throw new DriverError('transient', `${method} ${path}: HTTP ${res.status} without an image in the answer`, { status: res.status });
  }
  return res.body as WireImage;
}

function items<T>(res: HttpResponse): T[] {
  // A login page or a proxy's HTML is no list at all: never read it as "no images".
  if (!isObject(res.body)) {
    const type = res.headers.get('content-type') ?? 'no content type';
    throw new DriverError('transient', `a list answered HTTP ${res.status} with a body that is not a JSON object (${type.split(';')[0] ?? type})`, { status: res.status });
  }
  const list = isObject(res.body) ? (res.body as WireList<unknown>).items : undefined;
  return Array.isArray(list) ? (list.filter(isObject) as T[]) : [];
}
