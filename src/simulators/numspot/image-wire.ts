// Stored image → wire Image, in the exact shape of the recorded responses: keys in the order the
// real API sends them (alphabetical), `description` "" when unset, `stateComment` {} when there
// is nothing to say, `tags` [] when untagged, `access` always present. The state is derived from
// the clock, so no timer is needed: `pending` until readyAtUs, then the planned outcome.
import { rfc3339Micros } from '../time.js';
import { tagsOf, type SimContext } from './context.js';
import type { StoredImage, WireBdm } from './store.js';

export type ImageState = 'pending' | 'available' | 'failed';

export function imageState(img: StoredImage, nowUs: number): ImageState {
  if (img.stuck || nowUs < img.readyAtUs) return 'pending';
  return img.outcome;
}

function bdmWire(b: WireBdm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (b.bsu) {
    const bsu: Record<string, unknown> = { deleteOnVmDeletion: b.bsu.deleteOnVmDeletion };
    if (b.bsu.iops !== undefined) bsu['iops'] = b.bsu.iops;
    if (b.bsu.snapshotId !== undefined) bsu['snapshotId'] = b.bsu.snapshotId;
    bsu['volumeSize'] = b.bsu.volumeSize;
    bsu['volumeType'] = b.bsu.volumeType;
    out['bsu'] = bsu;
  }
  out['deviceName'] = b.deviceName;
  if (b.virtualDeviceName !== undefined) out['virtualDeviceName'] = b.virtualDeviceName;
  return out;
}

export function imageWire(ctx: SimContext, img: StoredImage, nowUs: number): Record<string, unknown> {
  const state = imageState(img, nowUs);
  return {
    access: { isPublic: img.isPublic },
    architecture: img.architecture,
    blockDeviceMappings: img.blockDeviceMappings.map(bdmWire),
    creationDate: rfc3339Micros(img.createdUs),
    description: img.description,
    id: img.id,
    name: img.name,
    productCodes: [...img.productCodes],
    rootDeviceName: img.rootDeviceName,
    rootDeviceType: 'bsu',
    state,
    stateComment: state === 'failed' && img.failure ? { ...img.failure } : {},
    tags: tagsOf(ctx, img.id).map((t) => ({ key: t.key, value: t.value })),
    type: 'machine',
  };
}

/** Image responses carry this (recorded); a driver that lets an HTTP cache honour it polls stale state. */
export const IMAGE_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' };

/** Own images first, then official ones: what a space can read. */
export function visibleImages(ctx: SimContext): StoredImage[] {
  return [...ctx.state.images, ...ctx.officials];
}

export function findVisibleImage(ctx: SimContext, id: string): StoredImage | undefined {
  return ctx.state.images.find((i) => i.id === id) ?? ctx.officials.find((i) => i.id === id);
}
