// Stored image → wire form. Absent fields are omitted (never null), and secrets never leave:
// basicAuth is dropped entirely from reads, because returning it without `password` would
// violate the spec's `required: [username, password]` and make a GET→PUT round trip invalid.
import { createHash } from 'node:crypto';
import { typed, type Json } from './envelope.js';
import type { ImageSpec, StoredImage } from './store.js';
import { rfc3339Micros } from '../time.js';

export const OWNER_EXT_ID = '00000000-0000-0000-0000-000000000000';

export const SELECTABLE = [
  'categoryExtIds', 'clusterLocationExtIds', 'createTime', 'description', 'extId', 'lastUpdateTime',
  'links', 'name', 'ownerExtId', 'sizeBytes', 'tenantId', 'type',
] as const;

/** Opaque and different after every applied update, like the base64 ETags real servers send. */
export function etagOf(img: StoredImage): string {
  return Buffer.from(`application/json:${img.extId}:${img.generation}`).toString('base64');
}

/** A stable pseudo UUID from a string, so derived ids survive restarts. */
export function derivedUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** What the bytes come from: credentials and TLS leniency do not change the image. */
export function sourceIdentity(source: Record<string, unknown> | undefined): string {
  if (!source) return '';
  const { basicAuth: _a, shouldAllowInsecureUrl: _i, $reserved: _r, ...rest } = source;
  return JSON.stringify(rest);
}

/** Deterministic size in [64 MiB, ~2 GiB) so tests can compare runs. */
export function sizeFor(spec: ImageSpec): number {
  const h = createHash('sha256').update(spec.source ? sourceIdentity(spec.source) : spec.name).digest();
  return 64 * 1024 * 1024 + (h.readUInt32BE(0) % (2 * 1024 * 1024 * 1024 - 64 * 1024 * 1024));
}

/** Objects-Lite sources come back as a UrlSource pointing into the objects store (observed). */
export function normalizeSource(source: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (source?.['$objectType'] !== 'vmm.v4.content.ObjectsLiteSource') return source;
  const key = String(source['key']);
  return { $objectType: 'vmm.v4.content.UrlSource', url: `https://objects.prism-central.local/vmm-images/${encodeURIComponent(key)}`, shouldAllowInsecureUrl: false };
}

function sourceWire(source: Record<string, unknown>): Json {
  const { $objectType, basicAuth: _secret, ...rest } = source;
  return typed(String($objectType), rest);
}

function placementWire(img: StoredImage): Json[] | undefined {
  if (!img.placementPolicyExtId || !img.clusterLocationExtIds?.length) return undefined;
  return [
    typed('vmm.v4.content.ImagePlacementStatus', {
      placementPolicyExtId: img.placementPolicyExtId,
      complianceStatus: 'COMPLIANT',
      enforcementMode: 'ENFORCING',
      policyClusterExtIds: [...img.clusterLocationExtIds],
      enforcedClusterExtIds: [...img.clusterLocationExtIds],
    }),
  ];
}

export function imageWire(img: StoredImage, select?: ReadonlySet<string>): Json {
  const f: Json = { extId: img.extId, name: img.name };
  if (img.description !== undefined) f['description'] = img.description;
  f['type'] = img.type;
  if (img.checksum) f['checksum'] = typed(img.checksum.$objectType, { hexDigest: img.checksum.hexDigest });
  f['sizeBytes'] = img.sizeBytes;
  if (img.source) f['source'] = sourceWire(img.source);
  if (img.categoryExtIds?.length) f['categoryExtIds'] = [...img.categoryExtIds];
  if (img.clusterLocationExtIds?.length) f['clusterLocationExtIds'] = [...img.clusterLocationExtIds];
  f['createTime'] = rfc3339Micros(img.createTimeUs);
  f['lastUpdateTime'] = rfc3339Micros(img.lastUpdateTimeUs);
  f['ownerExtId'] = OWNER_EXT_ID;
  const placement = placementWire(img);
  if (placement) f['placementPolicyStatus'] = placement;
  if (select) for (const k of Object.keys(f)) if (!select.has(k)) delete f[k];
  return typed('vmm.v4.content.Image', f);
}
