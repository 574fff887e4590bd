// Resource ids as the real API shapes them: a prefix and 8 lowercase hex digits (`ami-1da964b7`).
import { createHash, randomBytes } from 'node:crypto';

export function newId(prefix: 'ami' | 'snap', taken: (id: string) => boolean): string {
  for (;;) {
    const id = `${prefix}-${randomBytes(4).toString('hex')}`;
    if (!taken(id)) return id;
  }
}

/** A stable id derived from another, for fields nobody creates but the wire shows (volume ids). */
export function derivedId(prefix: string, from: string): string {
  return `${prefix}-${createHash('sha256').update(from).digest('hex').slice(0, 8)}`;
}
