// The example plugin (examples/plugins/localdir) in the shared driver contract test
// (test/drivers/harness.ts registers it): a folder protected by a token, so that bad
// credentials are refused the way a cloud refuses them, and a file: URL as the content.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Driver } from '../../../src/drivers/contract.js';
import { loadExternalDriver, pluginSpec, type PluginSpec } from '../../../src/drivers/external/index.js';
import type { Harness } from '../harness.js';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const LOCALDIR = join(ROOT, 'examples/plugins/localdir/driver.mjs');
const TOKEN = 'localdir-contract-T0ken-5521';

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export function localdirSpec(cwd: string = ROOT): PluginSpec {
  const spec = pluginSpec({ command: ['node', LOCALDIR] }, cwd);
  if (spec === undefined) throw new Error('unreachable: a valid driver object');
  return spec;
}

export const loadLocaldir = (): Promise<Driver> => loadExternalDriver(localdirSpec());

export async function localdirHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'imagectl-localdir-'));
  const content = join(dir, 'contract.img');
  writeFileSync(content, 'contract image content\n');
  const store = join(dir, 'store');
  mkdirSync(store);
  writeFileSync(join(store, '.token-sha256'), `${sha256(TOKEN)}\n`);
  const settings = { directory: store, token: TOKEN };
  const image = { name: 'contract-image', url: pathToFileURL(content).href, checksum: sha256('contract image content\n'), description: 'first' };
  return {
    provider: { name: 'p', driver: 'localdir', settings },
    badAuth: { name: 'p', driver: 'localdir', settings: { ...settings, token: 'wrong-token' } },
    image,
    inPlace: { changed: ['description'], fields: { ...image, description: 'second' }, check: (a) => a['description'] === 'second' },
    unknownId: 'img-0000000000000000',
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
