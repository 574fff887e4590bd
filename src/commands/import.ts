// Command `imagectl import ADDRESS ID`: adopt an existing image into the state.
// The checks and the state entry are plan-pipeline/import-image.ts; the next plan shows whatever
// still differs.
import { importImage } from '../plan-pipeline/import-image.js';
import { ImagectlError } from '../util/errors.js';
import { parseArgs } from './args.js';
import type { Io } from './io.js';
import { withRun } from './run.js';

export async function importCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs(argv, { values: [], booleans: [] });
  const [address, id, ...extra] = p.positionals;
  if (!address || !id || extra.length > 0) throw new ImagectlError('USAGE', 'usage: imagectl import ADDRESS ID');
  return withRun(p, io, { command: 'import', mode: 'exclusive' }, async (ctx) => {
    const { resource, name } = await importImage(ctx, address, id, new Date().toISOString());
    await ctx.store.write({ ...ctx.state, resources: { ...ctx.state.resources, [address]: resource } });
    io.out(`Imported ${address} (${id}, "${name}"). Run \`imagectl plan\` to see what still differs from the configuration.\n`);
    return 0;
  });
}
