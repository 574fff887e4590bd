// Rules of the numspot_image seed that JSON Schema cannot say well: the three creation modes are
// mutually exclusive, each mode's own fields stay with it, and io1 IOPS limits.
import { isObject, type JsonObject } from '../../util/json.js';

type Problem = { pointer: string; message: string };

const MODES = {
  copy: { key: 'source_image_id', own: ['source_region_name'] },
  vm: { key: 'vm_id', own: ['no_reboot'] },
  register: { key: 'block_device_mappings', own: ['root_device_name', 'architecture'] },
} as const;
// Listed once: every image goes through modeProblems.
const MODE_ENTRIES = Object.entries(MODES) as [string, (typeof MODES)[keyof typeof MODES]][];

function modeProblems(fields: JsonObject): Problem[] {
  const present = MODE_ENTRIES.filter(([, m]) => fields[m.key] !== undefined);
  if (present.length === 0) {
    return [{ pointer: '', message: 'choose one creation mode: source_image_id (copy an image), vm_id (from a VM) or block_device_mappings (register from snapshots)' }];
  }
  if (present.length > 1) {
    const keys = present.map(([, m]) => m.key);
    return [{ pointer: `/${keys[1]}`, message: `${keys.join(' and ')} are different creation modes; set only one` }];
  }
  const [mode] = present[0] as [string, (typeof MODES)[keyof typeof MODES]];
  const out: Problem[] = [];
  for (const [other, m] of MODE_ENTRIES) {
    if (other === mode) continue;
    for (const k of m.own) if (fields[k] !== undefined) out.push({ pointer: `/${k}`, message: `${k} applies only with ${m.key}` });
  }
  return out;
}

function bdmProblems(fields: JsonObject): Problem[] {
  const bdms = fields['block_device_mappings'];
  if (!Array.isArray(bdms)) return [];
  const out: Problem[] = [];
  bdms.forEach((b, i) => {
    if (!isObject(b)) return;
    const bsu = b['bsu'];
    if (b['bsu'] !== undefined && b['virtual_device_name'] !== undefined) {
      out.push({ pointer: `/block_device_mappings/${i}/virtual_device_name`, message: 'a mapping is either a BSU volume (bsu) or an ephemeral device (virtual_device_name), not both' });
    }
    if (!isObject(bsu)) return;
    const iops = bsu['iops'];
    const type = bsu['volume_type'] ?? 'standard';
    if (iops !== undefined && type !== 'io1') out.push({ pointer: `/block_device_mappings/${i}/bsu/iops`, message: `iops applies only to io1 volumes (this one is ${String(type)})` });
    const size = bsu['volume_size'];
    if (typeof iops === 'number' && typeof size === 'number' && iops > 300 * size) {
      out.push({ pointer: `/block_device_mappings/${i}/bsu/iops`, message: `iops ${iops} exceeds 300 per GiB for a ${size} GiB volume (at most ${300 * size})` });
    }
  });
  const root = fields['root_device_name'];
  if (typeof root === 'string' && !bdms.some((b) => isObject(b) && b['device_name'] === root)) {
    out.push({ pointer: '/root_device_name', message: `root_device_name ${root} is not the device_name of any block device mapping` });
  }
  return out;
}

function tagProblems(fields: JsonObject): Problem[] {
  const tags = fields['tags'];
  if (!Array.isArray(tags)) return [];
  const seen = new Set<string>();
  const out: Problem[] = [];
  tags.forEach((t, i) => {
    if (!isObject(t) || typeof t['key'] !== 'string') return;
    if (t['key'].startsWith('imagectl:')) out.push({ pointer: `/tags/${i}/key`, message: 'tag keys starting with imagectl: are reserved for ownership tags' });
    if (seen.has(t['key'])) out.push({ pointer: `/tags/${i}/key`, message: `tag key ${t['key']} appears twice` });
    seen.add(t['key']);
  });
  return out;
}

export function validateNumspotImage(fields: JsonObject): Problem[] {
  return modeProblems(fields).concat(bdmProblems(fields), tagProblems(fields));
}
