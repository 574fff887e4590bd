// Block device mappings of a register request (BlockDeviceMappingImage / BsuToCreate), with the
// rules the spec states in prose: device names, volume types, and io1 IOPS (required for io1 and
// only for io1, at most 13000 and at most 300 per GiB). Snapshot existence and sizes are checked
// later, against the space (image-create.ts).
import type { Violation } from './problems.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const DEVICE_RE = /^\/dev\/(sda1|(sd|xvd)[b-z][a-z]?)$/;
const VIRTUAL_RE = /^ephemeral\d+$/;
const VOLUME_TYPES = ['standard', 'gp2', 'io1'];
export const MAX_IOPS = 13000;
export const MAX_IOPS_PER_GIB = 300;
export const MAX_VOLUME_GIB = 14901;

export interface RequestedBsu {
  deleteOnVmDeletion: boolean;
  iops?: number;
  snapshotId?: string;
  /** Undefined: the snapshot's size. */
  volumeSize?: number;
  volumeType: string;
}

export interface RequestedBdm {
  deviceName: string;
  virtualDeviceName?: string;
  bsu?: RequestedBsu;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function checkBsu(v: unknown, at: string, out: Violation[]): RequestedBsu | undefined {
  const bad = (field: string, description: string) => void out.push({ field: `${at}.${field}`, description });
  if (!isObj(v)) return out.push({ field: at, description: 'bsu must be an object' }), undefined;
  for (const k of Object.keys(v)) if (!['deleteOnVmDeletion', 'iops', 'snapshotId', 'volumeSize', 'volumeType'].includes(k)) bad(k, `unknown field '${k}'`);
  const { deleteOnVmDeletion = true, iops, snapshotId, volumeSize, volumeType = 'standard' } = v;
  if (typeof deleteOnVmDeletion !== 'boolean') bad('deleteOnVmDeletion', 'deleteOnVmDeletion must be a boolean');
  if (snapshotId !== undefined && typeof snapshotId !== 'string') bad('snapshotId', 'snapshotId must be a string');
  if (volumeSize !== undefined && (!isInt(volumeSize) || volumeSize < 1 || volumeSize > MAX_VOLUME_GIB)) bad('volumeSize', `volumeSize must be an integer between 1 and ${MAX_VOLUME_GIB} (GiB)`);
  if (snapshotId === undefined && volumeSize === undefined) bad('volumeSize', 'volumeSize is required when no snapshotId is given');
  if (typeof volumeType !== 'string' || !VOLUME_TYPES.includes(volumeType)) bad('volumeType', `volumeType must be one of ${VOLUME_TYPES.join(', ')}`);
  if (volumeType === 'io1') {
    if (iops === undefined) bad('iops', 'iops is required for io1 volumes');
    else if (!isInt(iops) || iops < 1 || iops > MAX_IOPS) bad('iops', `iops must be an integer between 1 and ${MAX_IOPS}`);
    else if (isInt(volumeSize) && iops > MAX_IOPS_PER_GIB * volumeSize) bad('iops', `iops must be at most ${MAX_IOPS_PER_GIB} per GiB (${MAX_IOPS_PER_GIB * volumeSize} for ${volumeSize} GiB)`);
  } else if (iops !== undefined) bad('iops', 'iops can only be given for io1 volumes');
  const bsu: RequestedBsu = { deleteOnVmDeletion: deleteOnVmDeletion === true, volumeType: String(volumeType) };
  if (isInt(iops)) bsu.iops = iops;
  if (typeof snapshotId === 'string') bsu.snapshotId = snapshotId;
  if (isInt(volumeSize)) bsu.volumeSize = volumeSize;
  return bsu;
}

function checkOne(v: unknown, at: string, out: Violation[]): RequestedBdm | undefined {
  if (!isObj(v)) return out.push({ field: at, description: 'each block device mapping must be an object' }), undefined;
  for (const k of Object.keys(v)) if (!['bsu', 'deviceName', 'virtualDeviceName'].includes(k)) out.push({ field: `${at}.${k}`, description: `unknown field '${k}'` });
  const { deviceName, virtualDeviceName, bsu } = v;
  if (typeof deviceName !== 'string' || !DEVICE_RE.test(deviceName)) out.push({ field: `${at}.deviceName`, description: 'deviceName must be /dev/sda1 (root) or /dev/sdX, /dev/sdXX, /dev/xvdX, /dev/xvdXX' });
  if (virtualDeviceName !== undefined && (typeof virtualDeviceName !== 'string' || !VIRTUAL_RE.test(virtualDeviceName))) out.push({ field: `${at}.virtualDeviceName`, description: 'virtualDeviceName must be ephemeralN' });
  if ((bsu === undefined) === (virtualDeviceName === undefined)) out.push({ field: at, description: 'a block device mapping needs exactly one of bsu or virtualDeviceName' });
  const parsed = bsu === undefined ? undefined : checkBsu(bsu, `${at}.bsu`, out);
  const r: RequestedBdm = { deviceName: String(deviceName) };
  if (typeof virtualDeviceName === 'string') r.virtualDeviceName = virtualDeviceName;
  if (parsed) r.bsu = parsed;
  return r;
}

export function checkBdms(v: unknown, rootDeviceName: string | undefined, out: Violation[]): RequestedBdm[] | undefined {
  if (!Array.isArray(v)) return out.push({ field: 'blockDeviceMappings', description: 'blockDeviceMappings must be a non-empty array to register an image' }), undefined;
  const bdms = v.map((b, i) => checkOne(b, `blockDeviceMappings[${i}]`, out));
  const names = bdms.map((b) => b?.deviceName);
  names.forEach((n, i) => {
    if (n !== undefined && names.indexOf(n) !== i) out.push({ field: `blockDeviceMappings[${i}].deviceName`, description: `device ${n} is mapped twice` });
  });
  if (rootDeviceName !== undefined && v.length > 0) {
    const root = bdms.find((b) => b?.deviceName === rootDeviceName);
    if (!root?.bsu?.snapshotId) out.push({ field: 'rootDeviceName', description: `a block device mapping for the root device ${rootDeviceName} with a bsu.snapshotId is required` });
  }
  return bdms.every((b): b is RequestedBdm => b !== undefined) ? bdms : undefined;
}
