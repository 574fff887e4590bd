// imagectl's snake_case image model ↔ the Numspot wire (camelCase), per schema.ts.
// Reads: every returned field, computed ones included; ownership tags moved out of `tags` into
// `owner`; the write-only inputs (source_image_id, source_region_name, vm_id, no_reboot) are
// never returned by the API and so never appear. Writes: one CreateImage body per mode, with
// only that mode's keys (CreateImage has additionalProperties: false, and the provider's
// always-empty `blockDeviceMappings: []`/`productCodes: []` say nothing useful).
import { createHash } from 'node:crypto';
import { DriverError } from '../contract.js';
import type { ObservedImage } from '../../fields/observed.js';
import { canonicalJson, isObject, type JsonObject, type JsonValue } from '../../util/json.js';
import { lazyProperties } from '../../util/lazy.js';
import type { WireMapping } from '../wire-mapping.js';
import { ownerOf, userTags, wireTags } from './tags.js';
import type { WireBlockDeviceMapping, WireBsu, WireCreateImage, WireImage, WireTag } from './wire.js';

export type CreateMode = 'copy' | 'vm' | 'register';

const POST = 'POST /images';
/**
 * Where each schema field goes on the wire (see ../wire-mapping.ts). The functions below and
 * create.ts/update.ts do it; test/drivers/wire-mapping.test.ts checks that they do what this
 * says, and that it covers schema.ts exactly.
 */
export const numspotWireMapping: WireMapping = {
  '/name': { wire: '/name', create: true, update: false, read: true, note: POST },
  '/description': { wire: '/description', create: true, update: false, read: true, note: POST },
  '/access': { wire: '/access', create: true, update: true, read: true, note: 'PUT /images/{id} accessCreation, after the POST' },
  '/access/is_public': { wire: '/access/isPublic', create: true, update: true, read: true, note: 'additions or removals {isPublic: true}' },
  '/architecture': { wire: '/architecture', create: true, update: false, read: true, note: `${POST}, register mode` },
  '/block_device_mappings': { wire: '/blockDeviceMappings', create: true, update: false, read: true, note: `${POST}, register mode` },
  '/block_device_mappings/bsu/delete_on_vm_deletion': { wire: '/blockDeviceMappings/bsu/deleteOnVmDeletion', create: true, update: false, read: true },
  '/block_device_mappings/bsu/volume_type': { wire: '/blockDeviceMappings/bsu/volumeType', create: true, update: false, read: true },
  '/no_reboot': { wire: '/noReboot', create: true, update: false, read: false, note: `${POST}, from-VM mode; never returned` },
  '/product_codes': { wire: '/productCodes', create: true, update: false, read: true, note: POST },
  '/root_device_name': { wire: '/rootDeviceName', create: true, update: false, read: true, note: `${POST}, register mode` },
  '/source_image_id': { wire: '/sourceImageId', create: true, update: false, read: false, note: `${POST}, copy mode; never returned` },
  '/source_region_name': { wire: '/sourceRegionName', create: true, update: false, read: false, note: `${POST}, copy mode; never returned` },
  '/tags': { wire: '/tags', create: true, update: true, read: true, note: 'PATCH/DELETE /bulk/tags; ownership tags read into `owner`' },
  '/vm_id': { wire: '/vmId', create: true, update: false, read: false, note: `${POST}, from-VM mode; never returned` },
  '/creation_date': { wire: '/creationDate', create: false, update: false, read: true },
  '/root_device_type': { wire: '/rootDeviceType', create: false, update: false, read: true },
  '/state': { wire: '/state', create: false, update: false, read: true },
  '/state_comment': { wire: '/stateComment', create: false, update: false, read: true },
  '/type': { wire: '/type', create: false, update: false, read: true },
};

function invalid(message: string): DriverError {
  return new DriverError('invalid', message, { definitive: true });
}

function bsuFromWire(b: WireBsu): JsonObject {
  const out: JsonObject = {};
  if (typeof b.deleteOnVmDeletion === 'boolean') out['delete_on_vm_deletion'] = b.deleteOnVmDeletion;
  if (typeof b.iops === 'number') out['iops'] = b.iops;
  if (typeof b.snapshotId === 'string') out['snapshot_id'] = b.snapshotId;
  if (typeof b.volumeSize === 'number') out['volume_size'] = b.volumeSize;
  if (typeof b.volumeType === 'string') out['volume_type'] = b.volumeType;
  return out;
}

function bdmFromWire(m: WireBlockDeviceMapping): JsonObject {
  const out: JsonObject = {};
  if (typeof m.deviceName === 'string') out['device_name'] = m.deviceName;
  if (typeof m.virtualDeviceName === 'string') out['virtual_device_name'] = m.virtualDeviceName;
  if (isObject(m.bsu)) out['bsu'] = bsuFromWire(m.bsu);
  return out;
}

/** A stable fingerprint of what imagectl sees (Numspot sends no ETag). */
export function attributesDigest(attributes: JsonObject): string {
  return `sha256:${createHash('sha256').update(canonicalJson(attributes)).digest('hex').slice(0, 32)}`;
}

/**
 * `etag` as an own, enumerable property computed on first read. A plan reads it only for the
 * images it acts on, and apply for the ones it writes: hashing all 5,000 listed images was a
 * third of the refresh CPU. Attributes are never mutated once observed, so the value is the one
 * an eager digest would give.
 */
const withLazyEtag = lazyProperties({ etag: (attributes: JsonObject) => attributesDigest(attributes) });

/** `tags`: the image's wireTags when the caller has them already (the list filters on them). */
export function fromWireImage(w: WireImage, tags: readonly WireTag[] = wireTags(w.tags)): ObservedImage {
  if (typeof w.id !== 'string' || w.id === '') throw new DriverError('transient', 'image without an id in the API answer');
  const a: JsonObject = { name: typeof w.name === 'string' ? w.name : '' };
  if (typeof w.description === 'string') a['description'] = w.description;
  if (isObject(w.access) && typeof w.access.isPublic === 'boolean') a['access'] = { is_public: w.access.isPublic };
  if (typeof w.architecture === 'string') a['architecture'] = w.architecture;
  if (Array.isArray(w.blockDeviceMappings)) a['block_device_mappings'] = w.blockDeviceMappings.filter(isObject).map(bdmFromWire);
  if (Array.isArray(w.productCodes)) a['product_codes'] = w.productCodes.filter((c): c is string => typeof c === 'string');
  if (typeof w.rootDeviceName === 'string') a['root_device_name'] = w.rootDeviceName;
  a['tags'] = userTags(tags).map((t) => ({ key: t.key, value: t.value }));
  if (typeof w.creationDate === 'string') a['creation_date'] = w.creationDate;
  if (typeof w.rootDeviceType === 'string') a['root_device_type'] = w.rootDeviceType;
  if (typeof w.state === 'string') a['state'] = w.state;
  if (isObject(w.stateComment)) {
    const c: JsonObject = {};
    if (typeof w.stateComment.stateCode === 'string') c['state_code'] = w.stateComment.stateCode;
    if (typeof w.stateComment.stateMessage === 'string') c['state_message'] = w.stateComment.stateMessage;
    a['state_comment'] = c;
  }
  if (typeof w.type === 'string') a['type'] = w.type;
  const image: ObservedImage = withLazyEtag({ id: w.id, name: a['name'] as string, attributes: a } as ObservedImage, a);
  const owner = ownerOf(tags);
  if (owner) image.owner = owner;
  return image;
}

function str(fields: JsonObject, key: string, path = ''): string | undefined {
  const v = fields[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(`${path}${key} must be a string (an unresolved reference or lookup?)`);
  return v;
}

function bool(fields: JsonObject, key: string, path = ''): boolean | undefined {
  const v = fields[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw invalid(`${path}${key} must be true or false`);
  return v;
}

function int(fields: JsonObject, key: string, path: string): number | undefined {
  const v = fields[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(`${path}${key} must be an integer`);
  return v;
}

function bsuToWire(v: JsonValue | undefined, path: string): WireBsu | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw invalid(`${path} must be an object`);
  const out: WireBsu = {};
  const p = `${path}.`;
  const del = bool(v, 'delete_on_vm_deletion', p);
  if (del !== undefined) out.deleteOnVmDeletion = del;
  const iops = int(v, 'iops', p);
  if (iops !== undefined) out.iops = iops;
  const snap = str(v, 'snapshot_id', p);
  if (snap !== undefined) out.snapshotId = snap;
  const size = int(v, 'volume_size', p);
  if (size !== undefined) out.volumeSize = size;
  const type = str(v, 'volume_type', p);
  if (type !== undefined) out.volumeType = type;
  return out;
}

function bdmsToWire(v: JsonValue | undefined): WireBlockDeviceMapping[] {
  if (!Array.isArray(v) || v.length === 0) throw invalid('block_device_mappings must be a non-empty list');
  return v.map((m, i) => {
    const path = `block_device_mappings[${i}]`;
    if (!isObject(m)) throw invalid(`${path} must be an object`);
    const out: WireBlockDeviceMapping = {};
    const device = str(m, 'device_name', `${path}.`);
    if (device !== undefined) out.deviceName = device;
    const virtual = str(m, 'virtual_device_name', `${path}.`);
    if (virtual !== undefined) out.virtualDeviceName = virtual;
    const bsu = bsuToWire(m['bsu'], `${path}.bsu`);
    if (bsu !== undefined) out.bsu = bsu;
    return out;
  });
}

export function createMode(fields: JsonObject): CreateMode {
  const modes: CreateMode[] = [];
  if (fields['source_image_id'] !== undefined) modes.push('copy');
  if (fields['vm_id'] !== undefined) modes.push('vm');
  if (fields['block_device_mappings'] !== undefined) modes.push('register');
  const [mode] = modes;
  if (mode === undefined || modes.length > 1) {
    throw invalid('set exactly one creation mode: source_image_id (copy), vm_id (from a VM) or block_device_mappings (register)');
  }
  return mode;
}

/** The POST /images body. `region` is the provider's, the default source_region_name of a copy. */
export function toWireCreate(fields: JsonObject, region?: string): WireCreateImage {
  const name = str(fields, 'name');
  if (name === undefined) throw invalid('name is required');
  const body: WireCreateImage = { name };
  const description = str(fields, 'description');
  if (description !== undefined) body.description = description;
  const codes = fields['product_codes'];
  if (codes !== undefined) {
    if (!Array.isArray(codes) || !codes.every((c): c is string => typeof c === 'string')) throw invalid('product_codes must be a list of strings');
    body.productCodes = [...codes];
  }
  switch (createMode(fields)) {
    case 'copy': {
      body.sourceImageId = str(fields, 'source_image_id') as string;
      const sourceRegion = str(fields, 'source_region_name') ?? region;
      if (sourceRegion !== undefined) body.sourceRegionName = sourceRegion;
      break;
    }
    case 'vm': {
      body.vmId = str(fields, 'vm_id') as string;
      const noReboot = bool(fields, 'no_reboot');
      if (noReboot !== undefined) body.noReboot = noReboot;
      break;
    }
    case 'register': {
      body.blockDeviceMappings = bdmsToWire(fields['block_device_mappings']);
      const root = str(fields, 'root_device_name');
      if (root !== undefined) body.rootDeviceName = root;
      const arch = str(fields, 'architecture');
      if (arch !== undefined) body.architecture = arch;
      break;
    }
  }
  return body;
}

/** The declared `access.is_public`, or undefined when access (or is_public) is not declared. */
export function desiredPublic(fields: JsonObject): boolean | undefined {
  const access = fields['access'];
  if (access === undefined) return undefined;
  if (!isObject(access)) throw invalid('access must be an object {is_public}');
  return bool(access, 'is_public', 'access.');
}
