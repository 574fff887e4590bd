// External driver plugins: programs in any language that speak the imagectl plugin protocol
// (docs/PLUGINS.md) over stdin/stdout. See driver.ts for the Driver they become.
export { externalDriver, loadExternalDriver } from './driver.js';
export { describePlugin, startPlugin } from './handshake.js';
export { withholding, pluginEnv } from './env.js';
export { PluginProcess } from './process.js';
export { PROTOCOL_VERSION, type PluginSpec, type Withheld } from './protocol.js';
export { externalDriverSchema, pluginSpec } from './spec.js';
