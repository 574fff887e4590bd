// imagectl import ADDRESS ID: adopt an existing image. The address must be declared; the next
// plan shows whatever still differs. Write-only fields (never returned by the API) are not
// guessed: the planner treats them as matching until they are applied once.
import { ImagectlError } from '../util/errors.js';
import type { JsonObject } from '../util/json.js';
import { parseArgs } from './args.js';
import type { Io } from './io.js';
import { withRun } from './run.js';

export async function importCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs(argv, { values: [], booleans: [] });
  const [address, id, ...extra] = p.positionals;
  if (!address || !id || extra.length > 0) throw new ImagectlError('USAGE', 'usage: imagectl import ADDRESS ID');
  return withRun(p, io, { command: 'import', mode: 'exclusive' }, async (ctx) => {
    const img = ctx.config.images[address];
    if (!img) throw new ImagectlError('NOT_DECLARED', `${address} is not declared in ${ctx.config.file}; declare it first, then import`);
    const existing = ctx.state.resources[address];
    if (existing) throw new ImagectlError('ALREADY_MANAGED', `${address} is already managed (image ${existing.id}); use \`imagectl state rm ${address}\` first to adopt another image`);
    const owner = Object.values(ctx.state.resources).find((r) => r.provider === img.provider && r.id === id);
    if (owner) throw new ImagectlError('ALREADY_MANAGED', `image ${id} is already managed as ${owner.address}`);
    const session = ctx.connected.sessions[img.provider];
    const schema = ctx.connected.schemas[img.driver];
    if (!session || !schema) throw new ImagectlError('PROVIDER_UNKNOWN', `provider '${img.provider}' is not available`);
    const read = await session.read(id);
    if (read.status === 'not_found') throw new ImagectlError('IMPORT_NOT_FOUND', `no image ${id} on provider '${img.provider}'`);
    if (read.status === 'error') throw new ImagectlError('IMPORT_FAILED', `cannot read image ${id}: ${read.kind}: ${read.message}`, { origin: 'cloud' });
    const inputs: JsonObject = {};
    for (const [key, value] of Object.entries(read.image.attributes)) if (schema.fields[`/${key}`]?.mode !== 'computed') inputs[key] = value;
    const resource = {
      address, provider: img.provider, driver: img.driver, id, inputs, attributes: read.image.attributes,
      protected: img.lifecycle.prevent_destroy, depends_on: [...new Set([...img.depends_on, ...img.refs.map((r) => r.target)])].sort(),
      updated_at: new Date().toISOString(), ...(read.image.etag ? { etag: read.image.etag } : {}),
    };
    await ctx.store.write({ ...ctx.state, resources: { ...ctx.state.resources, [address]: resource } });
    io.out(`Imported ${address} (${id}, "${read.image.name}"). Run \`imagectl plan\` to see what still differs from the configuration.\n`);
    return 0;
  });
}
