// The Nutanix driver as registered: pure schema + semantic checks + connect.
import type { Driver, DriverEnv, DriverSession, ProviderConfig } from '../contract.js';
import { nutanixSchema } from './schema.js';
import { validateNutanixImage } from './validate.js';

export const nutanixDriver = {
  schema: nutanixSchema,
  validate_image: validateNutanixImage,
  // Loaded on first connect: the HTTP stack (undici) costs ~75 ms of start-up that `validate` never needs.
  connect: async (provider: ProviderConfig, env: DriverEnv): Promise<DriverSession> => (await import('./session.js')).connectNutanix(provider, env),
} satisfies Driver;
