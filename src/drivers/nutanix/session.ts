// PLACEHOLDER until the Nutanix session lands (being written now). Not used by any test.
import type { DriverEnv, DriverSession, ProviderConfig } from '../contract.js';
import { ImagectlError } from '../../util/errors.js';

export async function connectNutanix(_provider: ProviderConfig, _env: DriverEnv): Promise<DriverSession> {
  throw new ImagectlError('NOT_READY', 'the Nutanix session is not built yet', { origin: 'internal' });
}
