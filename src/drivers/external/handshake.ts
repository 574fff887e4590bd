// Starting a plugin and learning what it is: `hello` (both sides state the protocol version;
// a mismatch is refused with both numbers, since the fix is upgrading one side) and
// `describe` (its DriverSchema). `describe` is cached per plugin for the whole process: config
// validation asks first, at load time, and connecting a provider later reuses the answer.
import { DriverError } from '../contract.js';
import type { DriverSchema } from '../../fields/schema.js';
import { isObject } from '../../util/json.js';
import { PluginProcess } from './process.js';
import { PROTOCOL_VERSION, type HelloResult, type PluginSpec } from './protocol.js';
import { specKey } from './spec.js';

const IMAGECTL_VERSION = '0.1.0';

/** A started plugin that has passed the handshake. Stopped again if the handshake fails. */
export async function startPlugin(spec: PluginSpec): Promise<PluginProcess> {
  const proc = new PluginProcess(spec);
  try {
    const hello = await proc.call<HelloResult>('hello', { protocol: PROTOCOL_VERSION, imagectl: IMAGECTL_VERSION });
    if (hello.protocol !== PROTOCOL_VERSION) {
      throw new DriverError(
        'invalid',
        `${proc.name} speaks plugin protocol ${hello.protocol}, but this imagectl speaks protocol ${PROTOCOL_VERSION}; ` +
          `use a version of the plugin made for protocol ${PROTOCOL_VERSION} (docs/PLUGINS.md)`,
        { definitive: true },
      );
    }
    proc.named(hello.name);
    return proc;
  } catch (e) {
    await proc.stop();
    throw e;
  }
}

async function describeOnce(spec: PluginSpec): Promise<DriverSchema> {
  const proc = await startPlugin(spec);
  try {
    const schema = await proc.call<DriverSchema>('describe', {});
    if (proc.driverName !== schema.driver) {
      throw new DriverError('invalid', `${proc.name} describes itself as driver '${schema.driver}' but said hello as '${proc.driverName ?? '?'}'`, { definitive: true });
    }
    // Schemas are data the planner keeps for the whole run: freeze them against accidents.
    return deepFreeze(schema);
  } finally {
    await proc.stop();
  }
}

const described = new Map<string, Promise<DriverSchema>>();

/** The plugin's DriverSchema: started once per plugin per process, then served from memory. */
export function describePlugin(spec: PluginSpec): Promise<DriverSchema> {
  const key = specKey(spec);
  let p = described.get(key);
  if (!p) {
    p = describeOnce(spec);
    described.set(key, p);
    // Only answers are remembered: a plugin fixed in the meantime is asked again.
    p.catch(() => described.delete(key));
  }
  return p;
}

function deepFreeze<T>(v: T): T {
  if (Array.isArray(v)) v.forEach(deepFreeze);
  else if (isObject(v)) Object.values(v).forEach(deepFreeze);
  return Object.freeze(v);
}
