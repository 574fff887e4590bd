// Raw Numspot compute API shapes (camelCase), as in specs/numspot/public-oas.yaml (2026-02-16)
// and the 2026-06 docs excerpt. Everything is optional on the way in: the driver checks what it
// reads instead of trusting a server (or a simulator) to send every field. Never exported beyond
// this folder.

export interface WireTag {
  key: string;
  value: string;
}

export interface WireBsu {
  deleteOnVmDeletion?: boolean;
  iops?: number;
  snapshotId?: string;
  volumeSize?: number;
  volumeType?: string;
}

export interface WireBlockDeviceMapping {
  bsu?: WireBsu;
  deviceName?: string;
  virtualDeviceName?: string;
}

export interface WireImage {
  id?: string;
  name?: string;
  description?: string;
  access?: { isPublic?: boolean };
  architecture?: string;
  blockDeviceMappings?: WireBlockDeviceMapping[];
  creationDate?: string;
  productCodes?: string[];
  rootDeviceName?: string;
  rootDeviceType?: string;
  state?: string;
  stateComment?: { stateCode?: string; stateMessage?: string };
  tags?: WireTag[];
  type?: string;
}

/** CreateImage (additionalProperties: false): only the keys of one mode are ever sent. */
export interface WireCreateImage {
  name: string;
  description?: string;
  productCodes?: string[];
  sourceImageId?: string;
  sourceRegionName?: string;
  vmId?: string;
  noReboot?: boolean;
  blockDeviceMappings?: WireBlockDeviceMapping[];
  rootDeviceName?: string;
  architecture?: string;
}

/** UpdateImage (2026-02 only): exactly one of additions/removals, each `{isPublic: true}`. */
export interface WireUpdateImage {
  accessCreation: { additions?: { isPublic: boolean }; removals?: { isPublic: boolean } };
}

/** CreateTags / DeleteTags: the same shape on PATCH and DELETE /bulk/tags. */
export interface WireTagsBody {
  resourceIds: string[];
  tags: WireTag[];
}

export interface WireVm {
  id?: string;
  state?: string;
  tags?: WireTag[];
}

export interface WireSnapshot {
  id?: string;
  description?: string;
  state?: string;
  volumeSize?: number;
  tags?: WireTag[];
}

/** `{items: [...]}`, unpaginated, on every compute list endpoint. */
export interface WireList<T> {
  items?: T[];
}

/** RFC 9457 problem details; `type` is a URN in the spec but a docs URL on the real API. */
export interface WireProblem {
  type?: string;
  title?: string;
  detail?: string;
  instance?: string;
}

export interface WireToken {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
}

/** Image states (`creating` is not in the spec; the provider polls through it, so do we). */
export const PENDING_STATES: ReadonlySet<string> = new Set(['pending', 'creating']);
export const AVAILABLE = 'available';
export const FAILED = 'failed';
