// Secret fingerprints: the state must show that a secret changed without ever holding the secret.
// scrypt is deliberately slow, so a leaked state file does not make the secrets cheap to guess;
// the salt is per lineage (state.secret_salt) so equal passwords in two states do not match.
// Memoized, because 10,000 images that share one password must cost one scrypt, not 10,000.
import { createHash, scryptSync } from 'node:crypto';
import { isObject } from '../util/json.js';

const N = 2 ** 14;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/** Keyed by a digest of (salt, value), so the cache does not keep the plain secret around as a key. */
const memo = new Map<string, string>();

/** `scrypt$16384$<hex>`: the cost is in the string so a later, stronger setting stays comparable. */
export function fingerprintSecret(value: string, salt: string): string {
  const key = createHash('sha256').update(salt).update('\0').update(value).digest('hex');
  const cached = memo.get(key);
  if (cached !== undefined) return cached;
  const hash = scryptSync(value, salt, KEY_LENGTH, { N, r: R, p: P }).toString('hex');
  const fp = `scrypt$${N}$${hash}`;
  memo.set(key, fp);
  return fp;
}

export interface SecretMarker {
  $secret: string;
}

/** What stands in the state's inputs where the driver marks a field secret. */
export function secretMarker(fingerprint: string): SecretMarker {
  return { $secret: fingerprint };
}

export function isSecretMarker(v: unknown): v is SecretMarker {
  return isObject(v) && typeof v['$secret'] === 'string' && Object.keys(v).length === 1;
}

/** For tests: how many distinct (salt, value) pairs were hashed so far. */
export function fingerprintCacheSize(): number {
  return memo.size;
}
