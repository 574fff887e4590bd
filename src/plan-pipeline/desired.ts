// Preparing desired images for the planner: lookups resolved through the API (positioned
// errors when they match nothing or several things), secret values turned into fingerprints
// with the state's salt, and reference targets added to the dependency edges.
import type { ResolvedSecrets } from '../config/index.js';
import type { DesiredImage, LoadedConfig } from '../config/types.js';
import type { DriverSession } from '../drivers/contract.js';
import type { PlanImage } from '../planner/input.js';
import { fingerprintSecret, secretMarker } from '../state/secrets.js';
import type { StateFile } from '../state/types.js';
import { ConfigError, errorMessage, type Diagnostic } from '../util/errors.js';
import { canonicalJson, setPointer, type JsonObject } from '../util/json.js';

/** Per image address, each secret field's value by JSON Pointer (config/rules/secrets.ts). */
export type ImageSecrets = ResolvedSecrets['imageSecrets'];

async function resolveLookups(img: DesiredImage, session: DriverSession | undefined, cache: Map<string, Promise<string[]>>, problems: Diagnostic[]): Promise<JsonObject> {
  const fields = structuredClone(img.fields);
  for (const use of img.lookups) {
    const key = `${img.provider}|${use.kind}|${canonicalJson(use.query)}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = session ? session.lookup(use.kind, use.query).then((m) => m.map((x) => x.id)) : Promise.resolve([]);
      cache.set(key, pending);
    }
    const what = `${use.kind} ${canonicalJson(use.query)}`;
    try {
      const ids = await pending;
      if (ids.length === 1) setPointer(fields, use.pointer, ids[0] as string);
      else problems.push({ ...use.pos, message: ids.length === 0 ? `lookup of ${what} matched nothing` : `lookup of ${what} matched ${ids.length} (${ids.join(', ')}); make it match exactly one` });
    } catch (e) {
      problems.push({ ...use.pos, message: `lookup of ${what} failed: ${errorMessage(e)}` });
    }
  }
  return fields;
}

export async function prepareDesired(
  config: LoadedConfig,
  sessions: Readonly<Record<string, DriverSession>>,
  state: StateFile,
  secrets: ImageSecrets,
  only?: ReadonlySet<string>,
): Promise<Record<string, PlanImage>> {
  const problems: Diagnostic[] = [];
  const cache = new Map<string, Promise<string[]>>();
  const out: Record<string, PlanImage> = {};
  const finish = (img: DesiredImage, fields: JsonObject): void => {
    for (const use of img.secrets) {
      const value = secrets[img.address]?.[use.pointer];
      if (value !== undefined) setPointer(fields, use.pointer, secretMarker(fingerprintSecret(value, state.secret_salt)) as unknown as JsonObject);
    }
    out[img.address] = {
      address: img.address,
      provider: img.provider,
      driver: img.driver,
      fields,
      depends_on: [...new Set([...img.depends_on, ...img.refs.map((r) => r.target)])].sort(),
      lifecycle: img.lifecycle,
    };
  };
  const lookups: Promise<void>[] = [];
  let done = 0;
  for (const img of Object.values(config.images)) {
    if (only && !only.has(img.address)) continue;
    if (img.lookups.length > 0) lookups.push(resolveLookups(img, sessions[img.provider], cache, problems).then((fields) => finish(img, fields)));
    // Nothing is written into the fields of an image without lookups or secrets: no copy.
    else finish(img, img.secrets.length > 0 ? structuredClone(img.fields) : img.fields);
    // The refresh runs alongside (make-plan.ts): let it send its requests and take its answers.
    if (++done % 1000 === 0) await new Promise((r) => setImmediate(r));
  }
  await Promise.all(lookups);
  if (problems.length > 0) throw new ConfigError(problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col));
  return out;
}
