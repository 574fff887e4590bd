// `imagectl import ADDRESS ID`: the state entry that adopts an existing image. The address must
// be declared and neither it nor the image may be managed already. Write-only fields (never
// returned by the API) are not guessed: the planner treats them as matching until they are
// applied once. Like accept-live.ts, the state takes what the cloud has; nothing is changed.
import type { StateResource } from '../state/types.js';
import { ImagectlError } from '../util/errors.js';
import type { JsonObject } from '../util/json.js';
import type { PlanSources } from './make-plan.js';

export async function importImage(sources: Omit<PlanSources, 'secrets' | 'parallelism'>, address: string, id: string, now: string): Promise<{ resource: StateResource; name: string }> {
  const { config, state } = sources;
  const img = config.images[address];
  if (!img) throw new ImagectlError('NOT_DECLARED', `${address} is not declared in ${config.file}; declare it first, then import`);
  const existing = state.resources[address];
  if (existing) throw new ImagectlError('ALREADY_MANAGED', `${address} is already managed (image ${existing.id}); use \`imagectl state rm ${address}\` first to adopt another image`);
  const owner = Object.values(state.resources).find((r) => r.provider === img.provider && r.id === id);
  if (owner) throw new ImagectlError('ALREADY_MANAGED', `image ${id} is already managed as ${owner.address}`);
  const session = sources.sessions[img.provider];
  const schema = sources.schemas[img.driver];
  if (!session || !schema) throw new ImagectlError('PROVIDER_UNKNOWN', `provider '${img.provider}' is not available`);
  const read = await session.read(id);
  if (read.status === 'not_found') throw new ImagectlError('IMPORT_NOT_FOUND', `no image ${id} on provider '${img.provider}'`);
  if (read.status === 'error') throw new ImagectlError('IMPORT_FAILED', `cannot read image ${id}: ${read.kind}: ${read.message}`, { origin: 'cloud' });
  const inputs: JsonObject = {};
  for (const [key, value] of Object.entries(read.image.attributes)) if (schema.fields[`/${key}`]?.mode !== 'computed') inputs[key] = value;
  const resource: StateResource = {
    address, provider: img.provider, driver: img.driver, id, inputs, attributes: read.image.attributes,
    protected: img.lifecycle.prevent_destroy, depends_on: [...new Set([...img.depends_on, ...img.refs.map((r) => r.target)])].sort(),
    updated_at: now, ...(read.image.etag ? { etag: read.image.etag } : {}),
  };
  return { resource, name: read.image.name };
}
