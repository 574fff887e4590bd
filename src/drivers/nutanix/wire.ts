// Raw v4.0 wire shapes (camelCase, $objectType discriminators), as far as this driver reads them.
// They never leave src/drivers/nutanix/: mapping.ts turns them into imagectl's snake_case model.
// Every object may carry more keys ($reserved, $unknownFields, newer fields): an index signature
// keeps them so a PUT can send the object back whole, as the API's full-replace semantics expect.

export const OT = {
  image: 'vmm.v4.content.Image',
  urlSource: 'vmm.v4.content.UrlSource',
  vmDiskSource: 'vmm.v4.content.VmDiskSource',
  objectsLiteSource: 'vmm.v4.content.ObjectsLiteSource',
  basicAuth: 'vmm.v4.content.UrlBasicAuth',
  sha1: 'vmm.v4.content.ImageSha1Checksum',
  sha256: 'vmm.v4.content.ImageSha256Checksum',
} as const;

export const IMAGE_REL = 'vmm:content:image';
/** AppMessage code of "the backend service could not find the entity". */
export const NOT_FOUND_CODE = 'VMM-20005';

export interface WireUrlSource {
  $objectType: typeof OT.urlSource;
  url: string;
  shouldAllowInsecureUrl?: boolean;
  basicAuth?: { $objectType?: string; username: string; password?: string; [k: string]: unknown };
  [k: string]: unknown;
}
export interface WireVmDiskSource {
  $objectType: typeof OT.vmDiskSource;
  extId: string;
  [k: string]: unknown;
}
export interface WireObjectsLiteSource {
  $objectType: typeof OT.objectsLiteSource;
  key: string;
  [k: string]: unknown;
}
export type WireSource = WireUrlSource | WireVmDiskSource | WireObjectsLiteSource;

export interface WireChecksum {
  $objectType: typeof OT.sha1 | typeof OT.sha256;
  hexDigest: string;
  [k: string]: unknown;
}

export interface WirePlacementStatus {
  placementPolicyExtId?: string;
  complianceStatus?: string;
  enforcementMode?: string;
  policyClusterExtIds?: string[];
  enforcedClusterExtIds?: string[];
  conflictingPolicyExtIds?: string[];
  [k: string]: unknown;
}

export interface WireImage {
  $objectType?: string;
  $reserved?: Record<string, unknown>;
  extId?: string;
  name?: string;
  description?: string;
  type?: string;
  checksum?: WireChecksum;
  source?: WireSource;
  categoryExtIds?: string[];
  clusterLocationExtIds?: string[];
  sizeBytes?: number;
  createTime?: string;
  lastUpdateTime?: string;
  ownerExtId?: string;
  placementPolicyStatus?: WirePlacementStatus[];
  [k: string]: unknown;
}

export type WireTaskStatus =
  | 'QUEUED'
  | 'RUNNING'
  | 'CANCELING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'CANCELED'
  | 'SUSPENDED'
  | '$UNKNOWN'
  | '$REDACTED';

export interface WireAppMessage {
  code?: string;
  message?: string;
  severity?: string;
  [k: string]: unknown;
}

export interface WireTask {
  extId?: string;
  operation?: string;
  operationDescription?: string;
  status?: WireTaskStatus | string;
  progressPercentage?: number;
  entitiesAffected?: { extId?: string; name?: string; rel?: string }[];
  errorMessages?: WireAppMessage[];
  legacyErrorMessage?: string;
  [k: string]: unknown;
}

export interface WireCluster {
  extId?: string;
  name?: string;
  [k: string]: unknown;
}

export interface WireListMetadata {
  totalAvailableResults?: number;
  [k: string]: unknown;
}
