// GET /compute/spaces/{spaceId}/images: no pagination, `{"items":[…]}`, own images then official
// ones. Each API version honours only the filters its spec declares (query.ts: the others are
// dropped, as the gateway does), which is the trap a driver must survive across the rename:
//  - 2026-02: `ids`, the tag filters (tagKeys, tagValues, tags=K=V) and `isPublic`;
//  - 2026-06: `imageIds` (renamed from `ids`) and `imageType` (official | private | anything
//    else = both; `official` means official images without proprietary licence codes).
// Both: imageNames, descriptions, states, architectures, rootDeviceNames, rootDeviceTypes,
// productCodes, hypervisors (xen), virtualizationTypes (hvm).
import type { SimRequest, SimResponse } from '../messages.js';
import { tagsOf, type ApiVersion, type SimContext } from './context.js';
import { IMAGE_HEADERS, imageState, imageWire, visibleImages } from './image-wire.js';
import { badRequest } from './problems.js';
import { compileFilters, queryValues, tagFilters, type FilterTable } from './query.js';
import type { StoredImage } from './store.js';

type Row = { img: StoredImage; state: string };

const bsus = (r: Row) => r.img.blockDeviceMappings.flatMap((b) => (b.bsu ? [b.bsu] : []));

function common(): FilterTable<Row> {
  return {
    imageNames: { kind: 'strings', values: (r) => [r.img.name] },
    descriptions: { kind: 'strings', values: (r) => [r.img.description] },
    states: { kind: 'strings', values: (r) => [r.state] },
    architectures: { kind: 'strings', values: (r) => [r.img.architecture] },
    rootDeviceNames: { kind: 'strings', values: (r) => [r.img.rootDeviceName] },
    rootDeviceTypes: { kind: 'strings', values: () => ['bsu'] },
    productCodes: { kind: 'strings', values: (r) => r.img.productCodes },
    hypervisors: { kind: 'strings', values: () => ['xen'] },
    virtualizationTypes: { kind: 'strings', values: () => ['hvm'] },
  };
}

function filtersFor(ctx: SimContext, version: ApiVersion): FilterTable<Row> {
  if (version === '2026-06') return { imageIds: { kind: 'strings', values: (r) => [r.img.id] }, ...common() };
  return {
    ids: { kind: 'strings', values: (r) => [r.img.id] },
    ...common(),
    blockDeviceMappingDeleteOnVmDeletion: { kind: 'bool', values: (r) => bsus(r).map((b) => b.deleteOnVmDeletion) },
    blockDeviceMappingDeviceNames: { kind: 'strings', values: (r) => r.img.blockDeviceMappings.map((b) => b.deviceName) },
    blockDeviceMappingSnapshotIds: { kind: 'strings', values: (r) => bsus(r).flatMap((b) => (b.snapshotId ? [b.snapshotId] : [])) },
    blockDeviceMappingVolumeSizes: { kind: 'ints', values: (r) => bsus(r).map((b) => b.volumeSize) },
    blockDeviceMappingVolumeTypes: { kind: 'strings', values: (r) => bsus(r).map((b) => b.volumeType) },
    isPublic: { kind: 'bool', values: (r) => [r.img.isPublic] },
    ...tagFilters((r) => tagsOf(ctx, r.img.id)),
  };
}

/** 2026-06 `imageType`: not a match-any filter but a catalogue rule. */
function catalogue(req: SimRequest, version: ApiVersion): (r: Row) => boolean {
  const t = version === '2026-06' ? queryValues(req, 'imageType')?.at(-1) : undefined;
  if (t === 'official') return (r) => r.img.official && r.img.productCodes.every((c) => c === '0001');
  if (t === 'private') return (r) => !r.img.official;
  return () => true;
}

export function listImages(req: SimRequest, ctx: SimContext): SimResponse {
  const match = compileFilters(req, filtersFor(ctx, ctx.apiVersion));
  if (Array.isArray(match)) return badRequest(req.path, match);
  const inCatalogue = catalogue(req, ctx.apiVersion);
  const nowUs = ctx.clock.nowUs();
  const rows = visibleImages(ctx).map((img) => ({ img, state: imageState(img, nowUs) }));
  const items = rows.filter((r) => inCatalogue(r) && match(r)).map((r) => imageWire(ctx, r.img, nowUs));
  return { status: 200, headers: IMAGE_HEADERS, body: { items } };
}
