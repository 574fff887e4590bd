// Printing values in plans: compact, stable, and never a secret. Secret fingerprints print as
// (sensitive); values known only after apply print as (known after apply).
import { isObject, type JsonValue } from '../util/json.js';

export function formatValue(v: JsonValue | undefined): string {
  if (v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (isObject(v)) {
    if ('$secret' in v) return '(sensitive)';
    if ('$unknown' in v) return '(known after apply)';
    const keys = Object.keys(v).sort();
    return `{ ${keys.map((k) => `${k} = ${formatValue(v[k])}`).join(', ')} }`;
  }
  return JSON.stringify(v);
}

/** Replace secret fingerprints by a plain marker, for machine output that should not even carry hashes. */
export function redact(v: JsonValue | undefined): JsonValue | undefined {
  if (Array.isArray(v)) return v.map((x) => redact(x) as JsonValue);
  if (isObject(v)) {
    if ('$secret' in v) return '(sensitive)';
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) out[k] = redact(x) as JsonValue;
    return out;
  }
  return v;
}
