// Module hooks of record-loads.mjs (they run on the loader's own thread).
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.startsWith('file:') && process.env.RECORD_LOADS) appendFileSync(process.env.RECORD_LOADS, `${fileURLToPath(r.url)}\n`);
  return r;
}
