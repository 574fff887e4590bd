// Reading the provider block's `driver: {command, env, timeout_seconds}` object into a
// PluginSpec. The config schema has already checked the shape when this runs at assembly;
// at load time (before validation) it is also used to decide whether a block can be described,
// so it returns undefined for anything malformed rather than throwing.
import * as path from 'node:path';
import { isObject, type JsonObject } from '../../util/json.js';
import { commandLine, type PluginSpec } from './protocol.js';

/** The JSON Schema of the `driver:` object (composed into the configuration schema). */
export const externalDriverSchema: JsonObject = {
  type: 'object',
  description: 'An external driver plugin: a program that speaks the imagectl plugin protocol on stdin/stdout (docs/PLUGINS.md)',
  required: ['command'],
  additionalProperties: false,
  properties: {
    command: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', minLength: 1 },
      description: 'Program and arguments, e.g. [node, ./my-driver.mjs]; run in the folder of this file',
    },
    env: { type: 'object', additionalProperties: { type: 'string' }, description: 'Extra environment variables for the plugin' },
    timeout_seconds: { type: 'number', exclusiveMinimum: 0, description: 'How long a call may go without an answer or progress (default 30 for reads, 120 for changes)' },
  },
};

/**
 * `node` means the Node running imagectl (a CI image may not have it on PATH); a program
 * written as a relative path (./driver, bin/driver) is taken from the config file's folder.
 */
function program(file: string, cwd: string): string {
  if (file === 'node') return process.execPath;
  if (path.isAbsolute(file) || !/[\\/]/.test(file)) return file;
  return path.resolve(cwd, file);
}

export function pluginSpec(driver: unknown, configDir: string): PluginSpec | undefined {
  if (!isObject(driver)) return undefined;
  const { command, env, timeout_seconds } = driver;
  if (!Array.isArray(command) || command.length === 0 || !command.every((a): a is string => typeof a === 'string' && a !== '')) return undefined;
  const vars: Record<string, string> = {};
  if (env !== undefined) {
    if (!isObject(env)) return undefined;
    for (const [k, v] of Object.entries(env)) {
      if (typeof v !== 'string') return undefined;
      vars[k] = v;
    }
  }
  const [file, ...args] = command as [string, ...string[]];
  const spec: PluginSpec = { command: [program(file, configDir), ...args], env: vars, cwd: configDir, label: commandLine(command) };
  if (typeof timeout_seconds === 'number' && timeout_seconds > 0) spec.timeout_seconds = timeout_seconds;
  return spec;
}

/** Identity of a plugin for caching `describe` within one process. */
export function specKey(spec: PluginSpec): string {
  return JSON.stringify([spec.command, Object.entries(spec.env).sort(), spec.cwd]);
}
