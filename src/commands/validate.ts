// Command `imagectl validate`: check the configuration.
// The configuration only. No state, no secrets, no API call, so it runs in any CI job without
// credentials.
import { parseArgs } from './args.js';
import type { Io } from './io.js';
import { loadFromFlags } from './load-config.js';

export async function validateCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs(argv, { values: [], booleans: [] });
  const config = await loadFromFlags(p);
  for (const w of config.warnings) io.err(`Warning: ${w}\n`);
  const images = Object.keys(config.images).length;
  const providers = Object.keys(config.providers).length;
  io.out(`Success! ${config.file} is valid: ${images} image(s), ${providers} provider(s).\n`);
  return 0;
}
