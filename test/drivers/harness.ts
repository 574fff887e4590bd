// Per-driver fixtures for the shared contract test: how to start the driver's simulator, a
// valid image, an in-place change, and credentials that the simulator refuses.
import type { Driver, ProviderConfig } from '../../src/drivers/contract.js';
import type { JsonObject } from '../../src/util/json.js';
import { startNutanixSimulator } from '../../src/simulators/nutanix/index.js';
import { loadLocaldir, localdirHarness } from './external/contract-harness.js';
import { numspotHarness } from './numspot/contract-harness.js';

export interface Harness {
  provider: ProviderConfig;
  badAuth: ProviderConfig;
  image: JsonObject;
  inPlace: { changed: string[]; fields: JsonObject; check: (attributes: JsonObject) => boolean };
  unknownId: string;
  close(): Promise<void>;
}

export const harnesses: Record<string, () => Promise<Harness>> = {
  nutanix: async () => {
    const sim = await startNutanixSimulator({ taskDurationMs: 50 });
    const settings = { endpoint: sim.url, username: sim.username, password: sim.password };
    const image = { name: 'contract-image', type: 'ISO_IMAGE', source: { url: 'http://images.example.com/contract.iso' } };
    return {
      provider: { name: 'p', driver: 'nutanix', settings },
      badAuth: { name: 'p', driver: 'nutanix', settings: { ...settings, password: 'wrong-password' } },
      image,
      inPlace: { changed: ['name'], fields: { ...image, name: 'contract-renamed' }, check: (a) => a['name'] === 'contract-renamed' },
      unknownId: '5e0b3c1a-0000-4000-8000-000000000000',
      close: () => sim.close(),
    };
  },
  numspot: numspotHarness,
  localdir: localdirHarness,
};

/** External drivers the contract test covers besides the registered ones: described by their plugin. */
export const pluginDrivers: Record<string, () => Promise<Driver>> = {
  localdir: loadLocaldir,
};
