// Rules of the nutanix_images_v2 seed that JSON Schema cannot say well: the checksum length of
// each algorithm, and a source that is exactly one of a download or a VM disk.
import { isObject, type JsonObject } from '../../util/json.js';

export function validateNutanixImage(fields: JsonObject): { pointer: string; message: string }[] {
  const problems: { pointer: string; message: string }[] = [];
  const checksum = fields['checksum'];
  if (isObject(checksum) && typeof checksum['hex_digest'] === 'string') {
    const want = checksum['object_type'] === 'sha1' ? 40 : 64;
    if (checksum['hex_digest'].length !== want) {
      problems.push({
        pointer: '/checksum/hex_digest',
        message: `checksum.hex_digest must be ${want} hex digits for ${String(checksum['object_type'])} (got ${checksum['hex_digest'].length})`,
      });
    }
  }
  const source = fields['source'];
  if (isObject(source)) {
    const hasUrl = source['url'] !== undefined;
    const hasDisk = source['ext_id'] !== undefined;
    if (hasUrl === hasDisk) {
      problems.push({ pointer: '/source', message: 'source must set exactly one of url (a download) or ext_id (a VM disk)' });
    } else if (hasDisk && (source['basic_auth'] !== undefined || source['should_allow_insecure_url'] !== undefined)) {
      problems.push({ pointer: '/source', message: 'source.basic_auth and source.should_allow_insecure_url apply only to a url source' });
    }
  }
  return problems;
}
