// The identity of a finding across runs, so --since (and notifiers) can say "new" only when the
// drift itself is new. It covers where the drift is and what the cloud holds now, not what was
// expected: if someone edits the image again the fingerprint changes, and a re-run that sees the
// same live value keeps it. Messages are left out so rewording a message is not "new drift".
import type { DriftField } from '../planner/types.js';
import { digestOf } from '../util/hash.js';
import type { Finding } from './types.js';

type Identity = Pick<Finding, 'address' | 'provider' | 'kind' | 'id' | 'fields'>;

export function fingerprintOf(f: Identity): string {
  // Sorted by path so the order a differ happened to emit fields in does not matter.
  const fields = [...f.fields].sort(byPath).map((x) => ({ path: x.path, actual: x.actual }));
  return digestOf({ address: f.address, provider: f.provider, kind: f.kind, id: f.id, fields });
}

function byPath(a: DriftField, b: DriftField): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
