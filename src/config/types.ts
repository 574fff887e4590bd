// The desired configuration after loading: files found, YAML parsed with positions, validated,
// includes merged. Secrets are not resolved here (see config/secrets.ts): the loaded config only
// says where they come from, so it can be printed and digested safely.
import type { Lifecycle } from '../fields/lifecycle.js';
import type { PluginSpec } from '../drivers/external/protocol.js';
import type { JsonObject } from '../util/json.js';

export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** `{env: NAME}` or `{file: PATH}`. */
export type SecretRef = { env: string } | { file: string };

/** The `state:` block's PostgreSQL settings (config/state-block.ts); the URL stays a reference. */
export interface PostgresStateSettings {
  url: SecretRef;
  schema: string;
  workspace: string;
}

/** `{ref: "ADDRESS.ATTRIBUTE"}` found at `pointer` inside an image's fields. */
export interface RefUse {
  pointer: string;
  target: string;
  attribute: string;
  /** Found in the YAML when first read (util/lazy.ts). */
  readonly pos: SourcePos;
}

/** `{lookup: KIND, ...query}` found at `pointer` inside an image's fields. */
export interface LookupUse {
  pointer: string;
  kind: string;
  query: JsonObject;
  /** Found in the YAML when first read (util/lazy.ts). */
  readonly pos: SourcePos;
}

export interface SecretUse {
  pointer: string;
  ref: SecretRef;
  /** Found in the YAML when first read (util/lazy.ts). */
  readonly pos: SourcePos;
}

export interface DesiredImage {
  address: string;
  provider: string;
  driver: string;
  /** The image's own fields as written (refs, lookups and secret refs still as objects). */
  fields: JsonObject;
  refs: RefUse[];
  lookups: LookupUse[];
  secrets: SecretUse[];
  depends_on: string[];
  lifecycle: Lifecycle;
  /** Where the image's address is written; found in the YAML when first read (util/lazy.ts). */
  readonly pos: SourcePos;
  /** Position of every JSON Pointer inside fields, for errors found later (lookups, drivers); found when first read. */
  readonly positions: Record<string, SourcePos>;
}

export interface ProviderBlock {
  name: string;
  driver: string;
  /** Start an in-process simulator for this provider (quickstart, tests). */
  simulator: boolean;
  /** Provider settings as written (secret refs still as objects). */
  settings: JsonObject;
  secrets: Record<string, SecretRef>;
  /** Found in the YAML when first read (util/lazy.ts), as the positions below. */
  readonly pos: SourcePos;
  /** Position of each top-level setting (by key), for messages about a setting. */
  readonly positions?: Record<string, SourcePos>;
  /** How to start the external driver plugin, when `driver:` is `{command: [...]}` (drivers/external). */
  plugin?: PluginSpec;
}

export interface LoadedConfig {
  /** The main config file, absolute. */
  file: string;
  /** Folder of the main file: relative paths (state, includes, {file}) resolve from here. */
  dir: string;
  version: 1;
  /** `path` is the local file (default .imagectl/state.json); `backend` absent means local. */
  state: { path: string; backend?: 'local' | 'postgres'; postgres?: PostgresStateSettings };
  providers: Record<string, ProviderBlock>;
  images: Record<string, DesiredImage>;
  /** sha256 of the canonical config (for saved plans). */
  digest: string;
  warnings: string[];
  /** The top-level `drift:` block as written (validated as an object only; read by the drift command). */
  drift?: JsonObject;
  /** Every file read: the main file first, then included files (sorted). Absolute paths. */
  files?: string[];
}
