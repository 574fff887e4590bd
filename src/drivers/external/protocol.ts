// The wire protocol between imagectl and an external driver plugin (docs/PLUGINS.md): newline-
// delimited JSON on the plugin's stdin/stdout. These types mirror schemas/plugin/*.schema.json,
// which the host checks every answer against, so a plugin in any language gets the same
// precise complaint when it sends something malformed.
import type { ErrorKind } from '../../fields/observed.js';
import type { JsonObject, JsonValue } from '../../util/json.js';

/** Bumped only for incompatible changes; both sides must agree exactly. */
export const PROTOCOL_VERSION = 1;

export const METHODS = ['hello', 'describe', 'configure', 'list', 'read', 'create', 'update', 'delete', 'recover', 'lookup', 'shutdown'] as const;
export type Method = (typeof METHODS)[number];

/** Calls that may change the cloud: interrupted ones are never definitive failures. */
export const MUTATING: ReadonlySet<Method> = new Set(['create', 'update', 'delete']);

/** Seconds a call may stay silent (no answer, no progress) before the plugin is declared hung. */
export const DEFAULT_TIMEOUTS = { read: 30, write: 120 } as const;

/** Seconds between `shutdown` and killing a plugin that does not exit by itself. */
export const SHUTDOWN_GRACE_MS = 2000;

export interface Request {
  id: number;
  method: Method;
  params: JsonObject;
}

export interface WireError {
  kind: ErrorKind;
  message: string;
  definitive?: boolean;
}

/** Everything a plugin may write on stdout, each tied to a request by id. */
export type Incoming =
  | { id: number; result: JsonValue }
  | { id: number; error: WireError }
  | { id: number; progress: { message: string; percent?: number } }
  | { id: number; task: string };

export interface HelloResult {
  protocol: number;
  name: string;
  version?: string;
}

/** How to start a plugin: the provider block's `driver:` object, paths resolved. */
export interface PluginSpec {
  /** Program and arguments; a relative program path is resolved against `cwd`. */
  command: string[];
  env: Record<string, string>;
  /** The config file's folder: the plugin runs there, so its relative paths match the YAML's. */
  cwd: string;
  /** Overrides both default timeouts when set. */
  timeout_seconds?: number;
  /** The command as written in the YAML, for messages (`node ./my-driver.mjs`). */
  label: string;
  /** Secrets of other providers kept out of the plugin's environment (env.ts). */
  withhold?: Withheld;
}

/** Environment variables a plugin must not inherit. */
export interface Withheld {
  /** Variables the configuration reads other providers' settings and secrets from. */
  names: readonly string[];
  /** Secret values: a variable holding one is withheld whatever its name. */
  values: readonly string[];
}

/** `node ./my-driver.mjs`: how messages name a plugin before it has told us its own name. */
export function commandLine(command: readonly string[]): string {
  return command.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ');
}
