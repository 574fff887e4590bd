// The Numspot driver as registered: pure schema + semantic checks + connect.
import type { Driver, DriverEnv, DriverSession, ProviderConfig } from '../contract.js';
import { numspotSchema } from './schema.js';
import { validateNumspotImage } from './validate.js';

export const numspotDriver = {
  schema: numspotSchema,
  validate_image: validateNumspotImage,
  // Loaded on first connect: the HTTP stack (undici) costs ~75 ms of start-up that `validate` never needs.
  connect: async (provider: ProviderConfig, env: DriverEnv): Promise<DriverSession> => (await import('./session.js')).connectNumspot(provider, env),
} satisfies Driver;
