// Synchronous validation of a POST/PUT image body, with the constraints of the v4.0 spec
// (lengths, enums, patterns, the $objectType-discriminated oneOfs). Everything it does not know
// (read-only fields, $reserved, $unknownFields, SDK discriminator bags) is ignored, as real
// clients send all of those back.
import type { FieldProblem } from './errors.js';
import type { ImageSpec, ImageType } from './store.js';

export const UUID_RE = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;
// Verbatim from the spec (vmm.v4.content.UrlSource.url).
const URL_RE = /^((http[s]?|nfs):\/)?\/?([^:\/\s]*)((\/\w+)*(:[0-9]+)*?\/)([\w\-\.]+[^#?\s]+)(.*)?(#[\w\-]+)?$/;
const IMAGE_TYPES: readonly string[] = ['DISK_IMAGE', 'ISO_IMAGE'];
const CHECKSUM_DIGEST: Record<string, RegExp> = {
  'vmm.v4.content.ImageSha1Checksum': /^[a-fA-F0-9]{40}$/,
  'vmm.v4.content.ImageSha256Checksum': /^[a-fA-F0-9]{64}$/,
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly problems: FieldProblem[] = [];
  bad(attributePath: string, message: string): void {
    this.problems.push({ location: 'body', attributePath, message });
  }
  str(o: Obj, key: string, path: string, opts: { required?: boolean; min?: number; max?: number; re?: RegExp }): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) {
      if (opts.required) this.bad(path, `${path} is required`);
      return undefined;
    }
    if (typeof v !== 'string') return this.bad(path, `${path} must be a string`), undefined;
    if (opts.min !== undefined && v.length < opts.min) return this.bad(path, `${path} must be at least ${opts.min} characters long`), undefined;
    if (opts.max !== undefined && v.length > opts.max) return this.bad(path, `${path} must be at most ${opts.max} characters long`), undefined;
    if (opts.re && !opts.re.test(v)) return this.bad(path, `${path} does not match the pattern ${opts.re.source}`), undefined;
    return v;
  }
  uuidList(o: Obj, key: string, max: number): string[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) return this.bad(key, `${key} must be an array`), undefined;
    if (v.length > max) return this.bad(key, `${key} must have at most ${max} items`), undefined;
    const ok = v.every((x, i) => (typeof x === 'string' && UUID_RE.test(x)) || (this.bad(`${key}[${i}]`, `${key}[${i}] must be a UUID`), false));
    return ok ? (v as string[]) : undefined;
  }
}

function checkChecksum(c: Checker, v: unknown): ImageSpec['checksum'] {
  if (!isObj(v)) return c.bad('checksum', 'checksum must be an object'), undefined;
  const t = v['$objectType'];
  const re = typeof t === 'string' ? CHECKSUM_DIGEST[t] : undefined;
  if (typeof t !== 'string' || !re) {
    return c.bad('checksum.$objectType', 'checksum.$objectType must be vmm.v4.content.ImageSha1Checksum or vmm.v4.content.ImageSha256Checksum'), undefined;
  }
  const hexDigest = c.str(v, 'hexDigest', 'checksum.hexDigest', { required: true, re });
  return hexDigest === undefined ? undefined : { $objectType: t, hexDigest };
}

function checkUrlSource(c: Checker, v: Obj): Obj | undefined {
  const url = c.str(v, 'url', 'source.url', { required: true, re: URL_RE });
  const insecure = v['shouldAllowInsecureUrl'] ?? false;
  if (typeof insecure !== 'boolean') c.bad('source.shouldAllowInsecureUrl', 'source.shouldAllowInsecureUrl must be a boolean');
  const out: Obj = { $objectType: 'vmm.v4.content.UrlSource', url, shouldAllowInsecureUrl: insecure === true };
  const ba = v['basicAuth'];
  if (ba !== undefined && ba !== null) {
    if (!isObj(ba)) return c.bad('source.basicAuth', 'source.basicAuth must be an object'), undefined;
    const username = c.str(ba, 'username', 'source.basicAuth.username', { required: true, min: 1, max: 1000 });
    const password = c.str(ba, 'password', 'source.basicAuth.password', { required: true });
    out['basicAuth'] = { username, password };
  }
  return url === undefined ? undefined : out;
}

function checkSource(c: Checker, v: unknown): Obj | undefined {
  if (!isObj(v)) return c.bad('source', 'source must be an object'), undefined;
  switch (v['$objectType']) {
    case 'vmm.v4.content.UrlSource':
      return checkUrlSource(c, v);
    case 'vmm.v4.content.VmDiskSource': {
      const extId = c.str(v, 'extId', 'source.extId', { required: true, re: UUID_RE });
      return extId === undefined ? undefined : { $objectType: 'vmm.v4.content.VmDiskSource', extId };
    }
    case 'vmm.v4.content.ObjectsLiteSource': {
      const key = c.str(v, 'key', 'source.key', { required: true, min: 1, max: 1024 });
      return key === undefined ? undefined : { $objectType: 'vmm.v4.content.ObjectsLiteSource', key };
    }
    default:
      c.bad('source.$objectType', 'source.$objectType must be one of vmm.v4.content.UrlSource, vmm.v4.content.VmDiskSource, vmm.v4.content.ObjectsLiteSource');
      return undefined;
  }
}

/** The API doc makes source mandatory on create ("name, type and source are mandatory"). */
export function validateImageBody(body: unknown, opts: { requireSource: boolean }): { spec: ImageSpec } | { problems: FieldProblem[] } {
  const c = new Checker();
  if (!isObj(body)) return { problems: [{ location: 'body', attributePath: '', message: 'request body must be a JSON object' }] };
  const name = c.str(body, 'name', 'name', { required: true, min: 1, max: 256 });
  const description = c.str(body, 'description', 'description', { max: 1000 });
  const type = c.str(body, 'type', 'type', { required: true });
  if (type !== undefined && !IMAGE_TYPES.includes(type)) c.bad('type', `type must be one of ${IMAGE_TYPES.join(', ')}`);
  const checksum = body['checksum'] === undefined || body['checksum'] === null ? undefined : checkChecksum(c, body['checksum']);
  const source = body['source'] === undefined || body['source'] === null ? undefined : checkSource(c, body['source']);
  if (opts.requireSource && (body['source'] === undefined || body['source'] === null)) c.bad('source', 'source is required');
  const categoryExtIds = c.uuidList(body, 'categoryExtIds', 1250);
  const clusterLocationExtIds = c.uuidList(body, 'clusterLocationExtIds', 200);
  if (c.problems.length > 0 || name === undefined || type === undefined) return { problems: c.problems };
  const spec: ImageSpec = { name, type: type as ImageType };
  if (description !== undefined) spec.description = description;
  if (checksum) spec.checksum = checksum;
  if (source) spec.source = source;
  if (categoryExtIds) spec.categoryExtIds = [...categoryExtIds];
  if (clusterLocationExtIds) spec.clusterLocationExtIds = [...clusterLocationExtIds];
  return { spec };
}
