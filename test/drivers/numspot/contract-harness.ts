// The Numspot entry for the shared driver contract test (test/drivers/harness.ts registers it):
// the simulator, a valid image, an in-place change (tags) and a refused secret.
import type { Harness } from '../harness.js';
import { startNumspotSimulator } from '../../../src/simulators/numspot/index.js';

export async function numspotHarness(): Promise<Harness> {
  const sim = await startNumspotSimulator({ pendingMs: 50 });
  const settings = { host: sim.url, space_id: sim.spaceId, client_id: sim.clientId, client_secret: sim.clientSecret };
  const image = { name: 'contract-image', source_image_id: 'ami-dc3f861d', tags: [{ key: 'env', value: 'test' }] };
  return {
    provider: { name: 'p', driver: 'numspot', settings },
    badAuth: { name: 'p', driver: 'numspot', settings: { ...settings, client_secret: 'wrong-secret' } },
    image,
    inPlace: {
      changed: ['tags'],
      fields: { ...image, tags: [{ key: 'env', value: 'prod' }] },
      check: (a) => JSON.stringify(a['tags']) === JSON.stringify([{ key: 'env', value: 'prod' }]),
    },
    unknownId: 'ami-00000000',
    close: () => sim.close(),
  };
}
