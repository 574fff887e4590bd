// POST /compute/spaces/{spaceId}/images → 201 + Image, in the three modes of the recording:
//  - copy: new snapshot ids, productCodes, architecture and access.isPublic inherited from the
//    source (the recorded copy of an official image came back public), available at once;
//  - from a VM: one root mapping on a new snapshot of the VM's root volume, `pending` for
//    pendingMs, then available;
//  - register: the mappings echoed back (volumeSize defaults to the snapshot's), architecture
//    i386 unless given, available at once.
// productCodes: the source's (copy) plus those requested, with "0001" always present (recorded).
// Order of checks: body (400 violations), references (400 InvalidResource), name (409).
import type { SimRequest, SimResponse } from '../messages.js';
import type { SimContext } from './context.js';
import { MAX_IOPS_PER_GIB, type RequestedBdm } from './bdm-validate.js';
import { newId } from './ids.js';
import { IMAGE_HEADERS, findVisibleImage, imageState, imageWire } from './image-wire.js';
import { validateCreateImage, type CreateRequest } from './image-validate.js';
import { badRequest, conflict, invalidResource, type Violation } from './problems.js';
import { findSnapshot } from './snapshots.js';
import type { StoredImage, WireBdm } from './store.js';
import { findVm } from './vms.js';

type Draft = Pick<StoredImage, 'architecture' | 'rootDeviceName' | 'blockDeviceMappings' | 'isPublic'> & { inheritedCodes: string[]; pendingUs: number };

function productCodes(inherited: readonly string[], requested: readonly string[]): string[] {
  const out = [...new Set([...inherited, ...requested])];
  if (!out.includes('0001')) out.push('0001');
  return out;
}

function snapshotTaken(ctx: SimContext): (id: string) => boolean {
  return (id) => findSnapshot(ctx, id) !== undefined || ctx.officials.some((i) => i.blockDeviceMappings.some((b) => b.bsu?.snapshotId === id));
}

function newSnapshot(ctx: SimContext, description: string, volumeSize: number, nowUs: number): string {
  const id = newId('snap', snapshotTaken(ctx));
  ctx.state.snapshots.push({ id, description, volumeSize, createdUs: nowUs });
  return id;
}

function copyDraft(ctx: SimContext, req: SimRequest, r: Extract<CreateRequest, { mode: 'copy' }>, nowUs: number): Draft | SimResponse {
  const src = findVisibleImage(ctx, r.sourceImageId);
  if (!src) return invalidResource(req.path, `The ImageId '${r.sourceImageId}' doesn't exist.`);
  if (imageState(src, nowUs) !== 'available') return invalidResource(req.path, `The image '${r.sourceImageId}' is not available (state ${imageState(src, nowUs)}).`);
  const blockDeviceMappings = src.blockDeviceMappings.map((b): WireBdm => {
    if (!b.bsu?.snapshotId) return structuredClone(b);
    const snapshotId = newSnapshot(ctx, `Copy of ${b.bsu.snapshotId} for CopyImage(${src.id})`, b.bsu.volumeSize, nowUs);
    return { ...structuredClone(b), bsu: { ...b.bsu, snapshotId } };
  });
  return { architecture: src.architecture, rootDeviceName: src.rootDeviceName, blockDeviceMappings, isPublic: src.isPublic, inheritedCodes: src.productCodes, pendingUs: 0 };
}

function vmDraft(ctx: SimContext, req: SimRequest, r: Extract<CreateRequest, { mode: 'vm' }>, nowUs: number): Draft | SimResponse {
  const vm = findVm(ctx, r.vmId);
  if (!vm) return invalidResource(req.path, `The VmId '${r.vmId}' doesn't exist.`);
  const size = vm.rootSnapshotSize ?? 10;
  const snapshotId = newSnapshot(ctx, `Created by CreateImage(${vm.id})`, size, nowUs);
  return {
    architecture: 'x86_64',
    rootDeviceName: '/dev/sda1',
    blockDeviceMappings: [{ bsu: { deleteOnVmDeletion: true, snapshotId, volumeSize: size, volumeType: 'standard' }, deviceName: '/dev/sda1' }],
    isPublic: false,
    inheritedCodes: [],
    pendingUs: Math.max(0, ctx.pendingMs) * 1000,
  };
}

function registerBdm(ctx: SimContext, b: RequestedBdm, i: number, refs: string[], violations: Violation[]): WireBdm {
  const out: WireBdm = { deviceName: b.deviceName };
  if (b.bsu) {
    const snap = b.bsu.snapshotId === undefined ? undefined : findSnapshot(ctx, b.bsu.snapshotId);
    if (b.bsu.snapshotId !== undefined && !snap) refs.push(`The SnapshotId '${b.bsu.snapshotId}' doesn't exist.`);
    const volumeSize = b.bsu.volumeSize ?? snap?.volumeSize ?? 0;
    if (snap && volumeSize < snap.volumeSize) violations.push({ field: `blockDeviceMappings[${i}].bsu.volumeSize`, description: `volumeSize (${volumeSize} GiB) must be at least the snapshot size (${snap.volumeSize} GiB)` });
    if (b.bsu.iops !== undefined && b.bsu.iops > MAX_IOPS_PER_GIB * volumeSize) violations.push({ field: `blockDeviceMappings[${i}].bsu.iops`, description: `iops must be at most ${MAX_IOPS_PER_GIB} per GiB` });
    out.bsu = { deleteOnVmDeletion: b.bsu.deleteOnVmDeletion, volumeSize, volumeType: b.bsu.volumeType };
    if (b.bsu.iops !== undefined) out.bsu.iops = b.bsu.iops;
    if (b.bsu.snapshotId !== undefined) out.bsu.snapshotId = b.bsu.snapshotId;
  }
  if (b.virtualDeviceName !== undefined) out.virtualDeviceName = b.virtualDeviceName;
  return out;
}

function registerDraft(ctx: SimContext, req: SimRequest, r: Extract<CreateRequest, { mode: 'register' }>): Draft | SimResponse {
  const refs: string[] = [];
  const violations: Violation[] = [];
  const blockDeviceMappings = r.blockDeviceMappings.map((b, i) => registerBdm(ctx, b, i, refs, violations));
  if (refs.length > 0) return invalidResource(req.path, refs.join(' '));
  if (violations.length > 0) return badRequest(req.path, violations);
  return { architecture: r.architecture ?? 'i386', rootDeviceName: r.rootDeviceName, blockDeviceMappings, isPublic: false, inheritedCodes: [], pendingUs: 0 };
}

/** Applies failNextImages/stickPending: a doomed image is pending for pendingMs first, like a real one. */
function plannedFate(ctx: SimContext, img: StoredImage): void {
  if (ctx.state.failNext.count > 0) {
    ctx.state.failNext.count--;
    img.outcome = 'failed';
    img.failure = { stateCode: 'Server.InternalError', stateMessage: ctx.state.failNext.message ?? 'Image creation failed (injected by the simulator).' };
    img.readyAtUs = Math.max(img.readyAtUs, img.createdUs + Math.max(0, ctx.pendingMs) * 1000);
    if (ctx.state.failNext.count === 0) ctx.state.failNext = { count: 0 };
  }
  if (ctx.state.stickNext > 0) {
    ctx.state.stickNext--;
    img.stuck = true;
  }
  const f = ctx.faults ?? {};
  const roll = ctx.random ?? Math.random;
  if (img.outcome !== 'failed' && (f.imageFailureRate ?? 0) > 0 && roll() < (f.imageFailureRate ?? 0)) {
    img.outcome = 'failed';
    img.failure = { stateCode: 'Server.InternalError', stateMessage: 'Image creation failed (injected by the simulator).' };
    img.readyAtUs = Math.max(img.readyAtUs, img.createdUs + Math.max(0, ctx.pendingMs) * 1000);
  }
  if ((f.stuckRate ?? 0) > 0 && roll() < (f.stuckRate ?? 0)) img.readyAtUs += (f.stuckMs ?? 10_000) * 1000;
}

export function createImage(req: SimRequest, ctx: SimContext): SimResponse {
  const r = validateCreateImage(req.body, req.bodyError);
  if (Array.isArray(r)) return badRequest(req.path, r);
  const nowUs = ctx.clock.nowUs();
  const snapshotsBefore = ctx.state.snapshots.length;
  const draft = r.mode === 'copy' ? copyDraft(ctx, req, r, nowUs) : r.mode === 'vm' ? vmDraft(ctx, req, r, nowUs) : registerDraft(ctx, req, r);
  const clash = !('status' in draft) && ctx.state.images.some((i) => i.name === r.name);
  if ('status' in draft || clash) {
    ctx.state.snapshots.length = snapshotsBefore; // nothing was created
    return 'status' in draft ? draft : conflict(req.path, `An image named '${r.name}' already exists in this space.`);
  }
  const { inheritedCodes, pendingUs, ...rest } = draft;
  const img: StoredImage = {
    id: newId('ami', (id) => findVisibleImage(ctx, id) !== undefined),
    name: r.name,
    description: r.description ?? '',
    ...rest,
    productCodes: productCodes(inheritedCodes, r.productCodes),
    official: false,
    createdUs: nowUs,
    readyAtUs: nowUs + pendingUs,
    outcome: 'available',
  };
  plannedFate(ctx, img);
  ctx.state.images.push(img);
  ctx.persist();
  return { status: 201, headers: IMAGE_HEADERS, body: imageWire(ctx, img, nowUs) };
}
