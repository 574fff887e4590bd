// NTNX-Request-Id values. The API treats the header as an idempotency key: a request sent again
// with the same id returns the original task instead of acting twice. So ids are derived from the
// applier's idempotency key, never random: a retry, a resumed run and a recovery all reuse them.
import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The key itself when it is a UUID and no purpose is given (the create call); otherwise a
 * name-based UUID (version 5 layout over SHA-1) of key and purpose, so each distinct request of
 * one logical operation (update attempt 2, the delete) has its own stable id.
 */
export function requestId(key: string, purpose?: string): string {
  if (purpose === undefined && UUID.test(key)) return key;
  const h = createHash('sha1').update(`imagectl/${key}/${purpose ?? ''}`).digest();
  h.writeUInt8((h.readUInt8(6) & 0x0f) | 0x50, 6);
  h.writeUInt8((h.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
