// imagectl's snake_case image model ↔ the v4.0 wire (camelCase, $objectType on oneOfs).
// Reads never carry secrets out: a UrlSource's basicAuth.password is dropped even if a server
// echoes it. Writes are checked here too, since a wrong shape must fail before any API call.
import { DriverError } from '../contract.js';
import type { ObservedImage } from '../../fields/observed.js';
import { isObject, type JsonObject, type JsonValue } from '../../util/json.js';
import type { WireMapping } from '../wire-mapping.js';
import { OT, type WireChecksum, type WireImage, type WirePlacementStatus, type WireSource, type WireUrlSource } from './wire.js';

/**
 * Where each schema field goes on the wire (see ../wire-mapping.ts). The functions below do it;
 * test/drivers/wire-mapping.test.ts checks that they do what this says, and that it covers
 * schema.ts exactly. Update means the full-object PUT built in update-body.ts.
 */
export const nutanixWireMapping: WireMapping = {
  '/name': { wire: '/name', create: true, update: true, read: true },
  '/description': { wire: '/description', create: true, update: true, read: true },
  '/type': { wire: '/type', create: true, update: true, read: true },
  '/checksum': { wire: '/checksum', create: true, update: false, read: true, note: '$objectType sha1/sha256 from object_type' },
  '/checksum/hex_digest': { wire: '/checksum/hexDigest', create: true, update: false, read: true },
  '/source': { wire: '/source', create: true, update: false, read: true, note: 'UrlSource or VmDiskSource by which key is set' },
  '/source/basic_auth': { wire: '/source/basicAuth', create: true, update: false, read: true, note: 'read back with its username only' },
  '/source/basic_auth/password': { wire: '/source/basicAuth/password', create: true, update: false, read: false, note: 'dropped from reads even if echoed' },
  '/category_ext_ids': { wire: '/categoryExtIds', create: true, update: true, read: true },
  '/cluster_location_ext_ids': { wire: '/clusterLocationExtIds', create: true, update: false, read: true },
  '/size_bytes': { wire: '/sizeBytes', create: false, update: false, read: true },
  '/create_time': { wire: '/createTime', create: false, update: false, read: true },
  '/last_update_time': { wire: '/lastUpdateTime', create: false, update: false, read: true },
  '/owner_ext_id': { wire: '/ownerExtId', create: false, update: false, read: true },
  '/placement_policy_status': { wire: '/placementPolicyStatus', create: false, update: false, read: true },
};

function invalid(message: string): DriverError {
  return new DriverError('invalid', message, { definitive: true });
}

function str(fields: JsonObject, key: string, path: string): string | undefined {
  const v = fields[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(`${path}${key} must be a string (unresolved reference or lookup?)`);
  return v;
}

function strList(fields: JsonObject, key: string): string[] | undefined {
  const v = fields[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) {
    throw invalid(`${key} must be a list of ext_ids (unresolved reference or lookup?)`);
  }
  return [...v];
}

function checksumToWire(v: JsonValue | undefined): WireChecksum | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v) || typeof v['hex_digest'] !== 'string') throw invalid('checksum must have hex_digest and object_type');
  const kind = v['object_type'];
  if (kind !== 'sha1' && kind !== 'sha256') throw invalid('checksum.object_type must be sha1 or sha256');
  return { $objectType: kind === 'sha1' ? OT.sha1 : OT.sha256, hexDigest: v['hex_digest'] };
}

function sourceToWire(v: JsonValue | undefined): WireSource | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw invalid('source must be an object');
  const extId = str(v, 'ext_id', 'source.');
  if (extId !== undefined) return { $objectType: OT.vmDiskSource, extId };
  const url = str(v, 'url', 'source.');
  if (url === undefined) throw invalid('source must set url or ext_id');
  const out: WireUrlSource = { $objectType: OT.urlSource, url, shouldAllowInsecureUrl: v['should_allow_insecure_url'] === true };
  const auth = v['basic_auth'];
  if (isObject(auth)) {
    const username = str(auth, 'username', 'source.basic_auth.');
    const password = str(auth, 'password', 'source.basic_auth.');
    if (username === undefined || password === undefined) throw invalid('source.basic_auth needs username and password');
    out.basicAuth = { $objectType: OT.basicAuth, username, password };
  }
  return out;
}

/** The POST body for a new image from resolved desired fields (secrets in clear). */
export function toWireImage(fields: JsonObject): WireImage {
  const name = str(fields, 'name', '');
  const type = str(fields, 'type', '');
  if (name === undefined || type === undefined) throw invalid('name and type are required');
  const out: WireImage = { name, type };
  const description = str(fields, 'description', '');
  if (description !== undefined) out.description = description;
  const checksum = checksumToWire(fields['checksum']);
  if (checksum) out.checksum = checksum;
  const source = sourceToWire(fields['source']);
  if (source) out.source = source;
  const categories = strList(fields, 'category_ext_ids');
  if (categories) out.categoryExtIds = categories;
  const clusters = strList(fields, 'cluster_location_ext_ids');
  if (clusters) out.clusterLocationExtIds = clusters;
  return out;
}

/** Secret values inside desired fields, scrubbed from any error message of a call that sends them. */
export function secretsOf(fields: JsonObject): string[] {
  const source = fields['source'];
  const auth = isObject(source) ? source['basic_auth'] : undefined;
  const password = isObject(auth) ? auth['password'] : undefined;
  return typeof password === 'string' ? [password] : [];
}

function sourceFromWire(s: WireSource | undefined): JsonObject | undefined {
  if (!isObject(s)) return undefined;
  switch (s.$objectType) {
    case OT.urlSource: {
      const out: JsonObject = { url: s.url, should_allow_insecure_url: s.shouldAllowInsecureUrl === true };
      // Username only: the password is write-only, and a server that echoes it must not leak it.
      if (isObject(s.basicAuth) && typeof s.basicAuth.username === 'string') out['basic_auth'] = { username: s.basicAuth.username };
      return out;
    }
    case OT.vmDiskSource:
      return { ext_id: s.extId };
    case OT.objectsLiteSource:
      return { key: s.key };
    default:
      return undefined;
  }
}

function checksumFromWire(c: WireChecksum | undefined): JsonObject | undefined {
  if (!isObject(c) || typeof c.hexDigest !== 'string') return undefined;
  if (c.$objectType === OT.sha1) return { object_type: 'sha1', hex_digest: c.hexDigest };
  if (c.$objectType === OT.sha256) return { object_type: 'sha256', hex_digest: c.hexDigest };
  return undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function placementFromWire(p: WirePlacementStatus): JsonObject {
  const out: JsonObject = {};
  if (typeof p.placementPolicyExtId === 'string') out['placement_policy_ext_id'] = p.placementPolicyExtId;
  if (typeof p.complianceStatus === 'string') out['compliance_status'] = p.complianceStatus;
  if (typeof p.enforcementMode === 'string') out['enforcement_mode'] = p.enforcementMode;
  out['policy_cluster_ext_ids'] = strings(p.policyClusterExtIds);
  out['enforced_cluster_ext_ids'] = strings(p.enforcedClusterExtIds);
  out['conflicting_policy_ext_ids'] = strings(p.conflictingPolicyExtIds);
  return out;
}

/**
 * An image as imagectl sees it. Lists absent on the wire (Nutanix omits empty fields) read as [],
 * so `category_ext_ids: []` in YAML is not drift against a server that omits the key.
 */
export function fromWireImage(w: WireImage, etag?: string): ObservedImage {
  if (typeof w.extId !== 'string') throw new DriverError('transient', 'image without an extId in the API response');
  const attributes: JsonObject = { name: w.name ?? '' };
  if (typeof w.description === 'string') attributes['description'] = w.description;
  if (typeof w.type === 'string') attributes['type'] = w.type;
  const checksum = checksumFromWire(w.checksum);
  if (checksum) attributes['checksum'] = checksum;
  const source = sourceFromWire(w.source);
  if (source) attributes['source'] = source;
  attributes['category_ext_ids'] = strings(w.categoryExtIds);
  attributes['cluster_location_ext_ids'] = strings(w.clusterLocationExtIds);
  if (typeof w.sizeBytes === 'number') attributes['size_bytes'] = w.sizeBytes;
  if (typeof w.createTime === 'string') attributes['create_time'] = w.createTime;
  if (typeof w.lastUpdateTime === 'string') attributes['last_update_time'] = w.lastUpdateTime;
  if (typeof w.ownerExtId === 'string') attributes['owner_ext_id'] = w.ownerExtId;
  attributes['placement_policy_status'] = (Array.isArray(w.placementPolicyStatus) ? w.placementPolicyStatus : [])
    .filter(isObject)
    .map(placementFromWire);
  const image: ObservedImage = { id: w.extId, name: w.name ?? '', attributes };
  if (etag !== undefined) image.etag = etag;
  return image;
}
