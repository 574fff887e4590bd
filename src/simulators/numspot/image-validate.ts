// CreateImage body → one of the three creation modes, or every violation at once (400).
// The schema has `additionalProperties: false` and no required fields; the modes' exclusivity
// is the server's rule, not the schema's. The Terraform provider always sends
// `blockDeviceMappings: []` and `productCodes: []`, so empty arrays count as absent.
import { REGIONS } from './context.js';
import type { Violation } from './problems.js';
import { checkBdms, type RequestedBdm } from './bdm-validate.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const NAME_RE = /^[A-Za-z0-9_ ()/.-]{3,128}$/;
const ROOT_DEVICE_RE = /^\/dev\/(sda1|(sd|xvd)[b-z][a-z]?)$/;

const MODE_FIELDS = {
  copy: ['sourceImageId', 'sourceRegionName'],
  vm: ['vmId', 'noReboot'],
  register: ['blockDeviceMappings', 'rootDeviceName', 'architecture'],
} as const;
const KNOWN = new Set<string>(['name', 'description', 'productCodes', ...Object.values(MODE_FIELDS).flat()]);

interface Common {
  name: string;
  description?: string;
  productCodes: string[];
}
export type CreateRequest =
  | (Common & { mode: 'copy'; sourceImageId: string; sourceRegionName?: string })
  | (Common & { mode: 'vm'; vmId: string; noReboot: boolean })
  | (Common & { mode: 'register'; blockDeviceMappings: RequestedBdm[]; rootDeviceName: string; architecture?: string });

class Reader {
  readonly violations: Violation[] = [];
  constructor(readonly body: Obj) {}
  bad(field: string, description: string): undefined {
    this.violations.push({ field, description });
    return undefined;
  }
  str(field: string): string | undefined {
    const v = this.body[field];
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : this.bad(field, `${field} must be a string`);
  }
  bool(field: string): boolean | undefined {
    const v = this.body[field];
    if (v === undefined) return undefined;
    return typeof v === 'boolean' ? v : this.bad(field, `${field} must be a boolean`);
  }
  strings(field: string): string[] | undefined {
    const v = this.body[field];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) return this.bad(field, `${field} must be an array of strings`);
    return v as string[];
  }
}

/** Which modes the body touches: a field counts when present, except empty arrays. */
function modesPresent(body: Obj): (keyof typeof MODE_FIELDS)[] {
  const present = (f: string) => body[f] !== undefined && !(Array.isArray(body[f]) && body[f].length === 0);
  return (Object.keys(MODE_FIELDS) as (keyof typeof MODE_FIELDS)[]).filter((m) => MODE_FIELDS[m].some(present));
}

function checkMode(r: Reader, common: Common): CreateRequest | undefined {
  const modes = modesPresent(r.body);
  if (modes.length === 0) return r.bad('sourceImageId', 'exactly one of sourceImageId (copy), vmId (from a VM) or blockDeviceMappings (register) is required');
  if (modes.length > 1) {
    const fields = modes.flatMap((m) => MODE_FIELDS[m].filter((f) => r.body[f] !== undefined));
    return r.bad(fields[1] ?? '', `the creation modes are exclusive; do not combine ${fields.join(', ')}`);
  }
  if (modes[0] === 'copy') {
    const sourceImageId = r.str('sourceImageId');
    const sourceRegionName = r.str('sourceRegionName');
    if (sourceRegionName !== undefined && !(REGIONS as readonly string[]).includes(sourceRegionName)) r.bad('sourceRegionName', `sourceRegionName must be the region of the space (${REGIONS.join(' or ')})`);
    if (r.body['sourceImageId'] === undefined) r.bad('sourceImageId', 'sourceImageId is required to copy an image');
    if (sourceImageId === undefined) return undefined;
    return { ...common, mode: 'copy', sourceImageId, ...(sourceRegionName !== undefined ? { sourceRegionName } : {}) };
  }
  if (modes[0] === 'vm') {
    const vmId = r.str('vmId');
    const noReboot = r.bool('noReboot') ?? false;
    if (r.body['vmId'] === undefined) r.bad('vmId', 'vmId is required to create an image from a VM');
    if (vmId === undefined) return undefined;
    return { ...common, mode: 'vm', vmId, noReboot };
  }
  const rootDeviceName = r.str('rootDeviceName');
  const architecture = r.str('architecture');
  if (architecture !== undefined && architecture !== 'i386' && architecture !== 'x86_64') r.bad('architecture', 'architecture must be i386 or x86_64');
  if (rootDeviceName === undefined) r.bad('rootDeviceName', 'rootDeviceName is required to register an image from block device mappings');
  else if (!ROOT_DEVICE_RE.test(rootDeviceName)) r.bad('rootDeviceName', 'rootDeviceName must be /dev/sda1 or /dev/sdX, /dev/sdXX, /dev/xvdX, /dev/xvdXX');
  const bdms = checkBdms(r.body['blockDeviceMappings'], rootDeviceName, r.violations);
  if (!bdms || rootDeviceName === undefined || r.violations.length) return undefined;
  return { ...common, mode: 'register', blockDeviceMappings: bdms, rootDeviceName, ...(architecture !== undefined ? { architecture } : {}) };
}

export function validateCreateImage(body: unknown, bodyError: string | undefined): CreateRequest | Violation[] {
  if (bodyError !== undefined) return [{ field: '', description: `malformed JSON: ${bodyError}` }];
  if (!isObj(body)) return [{ field: '', description: 'the request body must be a JSON object' }];
  const r = new Reader(body);
  for (const k of Object.keys(body)) if (!KNOWN.has(k)) r.bad(k, `unknown field '${k}'`);
  const name = r.str('name');
  if (name === undefined) r.bad('name', 'name is required');
  else if (!NAME_RE.test(name)) r.bad('name', 'name must be 3-128 characters among letters, digits, spaces and _ ( ) / . -');
  const description = r.str('description');
  if (description !== undefined && description.length > 255) r.bad('description', 'description must be at most 255 characters');
  const productCodes = r.strings('productCodes') ?? [];
  const common: Common = { name: name ?? '', productCodes, ...(description !== undefined ? { description } : {}) };
  const req = checkMode(r, common);
  return r.violations.length > 0 || !req ? r.violations : req;
}
