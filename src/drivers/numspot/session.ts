// PLACEHOLDER until the Numspot session lands (being written now). Not used by any test.
import type { DriverEnv, DriverSession, ProviderConfig } from '../contract.js';
import { ImagectlError } from '../../util/errors.js';

export async function connectNumspot(_provider: ProviderConfig, _env: DriverEnv): Promise<DriverSession> {
  throw new ImagectlError('NOT_READY', 'the Numspot session is not built yet', { origin: 'internal' });
}
