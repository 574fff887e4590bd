// Secrets come only from {env: NAME} or {file: PATH}. A literal in a field the driver marks
// secret is an error whose message never repeats the value (it would end up in CI logs).
// resolveSecrets reads them at the last moment, in memory only, for the commands that connect.
import * as path from 'node:path';
import type { Driver, ProviderConfig } from '../../drivers/contract.js';
import { FileTooLargeError, LIMITS, readTextSync } from '../../util/bounded-read.js';
import { ImagectlError, errorMessage, formatDiagnostic, type Diagnostic } from '../../util/errors.js';
import { getPointer, isObject, pointerToPath, type JsonObject, type JsonValue } from '../../util/json.js';
import type { Validators } from '../schema/validators.js';
import { displayPath, type Diagnostics } from '../diagnostics.js';
import { LITERAL_SECRET } from '../schema/explain.js';
import type { ParsedFile } from '../yaml/parse.js';
import { posAt } from '../yaml/positions.js';
import { asSecretRef, type ImageInfo } from './refs.js';
import type { LoadedConfig, SecretRef, SourcePos } from '../types.js';

/** Provider keys the driver lists in provider_secrets must be references, never literals. */
export function checkProviderSecrets(main: ParsedFile, drivers: ReadonlyMap<string, string>, v: Validators, diags: Diagnostics): void {
  const providers = isObject(main.value) ? main.value['providers'] : undefined;
  if (!isObject(providers)) return;
  for (const [name, block] of Object.entries(providers)) {
    const driver = v.drivers[drivers.get(name) ?? ''];
    if (driver === undefined || !isObject(block)) continue;
    for (const key of driver.schema.provider_secrets) {
      if (block[key] !== undefined && asSecretRef(block[key]) === undefined) {
        const p = ['providers', name, key];
        diags.add(posAt(main, p), `${displayPath(p)}: ${LITERAL_SECRET}`);
      }
    }
  }
}

const secretPointers = new WeakMap<object, string[]>();

/** Pointers of the image fields the driver marks `secret: true`, listed once per driver. */
function secretFields(driver: Driver): string[] {
  let list = secretPointers.get(driver.schema.fields);
  if (list === undefined) {
    list = Object.entries(driver.schema.fields).flatMap(([pointer, spec]) => (spec.secret === true ? [pointer] : []));
    secretPointers.set(driver.schema.fields, list);
  }
  return list;
}

/** Image fields the driver marks `secret: true` must be references, never literals. */
export function checkImageSecrets(img: ImageInfo, v: Validators, diags: Diagnostics): void {
  const driver = img.driver === undefined ? undefined : v.drivers[img.driver];
  if (driver === undefined || !isObject(img.entry.value)) return;
  for (const pointer of secretFields(driver)) {
    const value = getPointer(img.fields, pointer);
    if (value !== undefined && asSecretRef(value) === undefined) {
      const p = [...img.entry.path, ...pointerToPath(pointer)];
      diags.add(posAt(img.entry.pf, p), `${displayPath(p)}: ${LITERAL_SECRET}`);
    }
  }
}

/** Provider settings that are file paths (every driver that takes a CA bundle calls it this). */
const PATH_SETTINGS: ReadonlySet<string> = new Set(['ca_file']);

export interface ResolvedSecrets {
  /** Provider settings with every {env}/{file} replaced by its value. */
  providers: Record<string, ProviderConfig>;
  /** Per image address, the value of each secret field by JSON Pointer. */
  imageSecrets: Record<string, Record<string, string>>;
}

type Problems = Diagnostic[];

/** `pos` is asked only for a problem: finding a position may mean parsing the file again (parse.ts). */
function readRef(ref: SecretRef, dir: string, where: string, pos: () => SourcePos, env: NodeJS.ProcessEnv, problems: Problems): string | undefined {
  const fail = (message: string): undefined => {
    problems.push({ ...pos(), message: `${where}: ${message}` });
    return undefined;
  };
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined) return fail(`environment variable ${ref.env} is not set`);
    if (value === '') return fail(`environment variable ${ref.env} is empty`);
    return value;
  }
  const file = path.resolve(dir, ref.file);
  try {
    // One trailing newline (or several) is an artefact of editors and `echo`, not part of the secret.
    // Bounded: `{file: /dev/zero}` read 2.1 GB. A secret is a short value.
    return readTextSync(file, LIMITS.secret, ref.file).replace(/(\r?\n)+$/, '');
  } catch (e) {
    if (e instanceof FileTooLargeError) return fail(`secret file ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    return fail(`cannot read secret file ${ref.file}: ${code === 'ENOENT' ? 'no such file' : errorMessage(e)}`);
  }
}

function resolveValue(v: JsonValue, ctx: { dir: string; where: string; pos: () => SourcePos; env: NodeJS.ProcessEnv; problems: Problems }): JsonValue {
  const ref = asSecretRef(v);
  if (ref !== undefined) return readRef(ref, ctx.dir, ctx.where, ctx.pos, ctx.env, ctx.problems) ?? '';
  if (Array.isArray(v)) return v.map((x) => resolveValue(x, ctx));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveValue(x, ctx)]));
  return v;
}

/**
 * Reads every secret the configuration refers to. A missing variable or unreadable file is an
 * ImagectlError naming the variable or file and where it is used (never a value); all of them
 * are reported at once.
 */
export function resolveSecrets(config: LoadedConfig, env: NodeJS.ProcessEnv = process.env): ResolvedSecrets {
  const problems: Problems = [];
  const providers: Record<string, ProviderConfig> = {};
  for (const [name, block] of Object.entries(config.providers)) {
    const settings: JsonObject = {};
    for (const [key, value] of Object.entries(block.settings)) {
      const where = displayPath(['providers', name, key]);
      const pos = (): SourcePos => block.positions?.[key] ?? block.pos;
      settings[key] = resolveValue(value, { dir: config.dir, where, pos, env, problems });
      // A path in the config means a path from the config's folder, as {file:} does, wherever imagectl runs.
      const setting = settings[key];
      if (PATH_SETTINGS.has(key) && typeof setting === 'string') settings[key] = path.resolve(config.dir, setting);
    }
    providers[name] = { name, driver: block.driver, settings };
  }
  const imageSecrets: Record<string, Record<string, string>> = {};
  for (const [address, image] of Object.entries(config.images)) {
    const values: Record<string, string> = {};
    for (const s of image.secrets) {
      const where = displayPath(['images', address, ...pointerToPath(s.pointer)]);
      const value = readRef(s.ref, config.dir, where, () => s.pos, env, problems);
      if (value !== undefined) values[s.pointer] = value;
    }
    imageSecrets[address] = values;
  }
  if (problems.length > 0) {
    const plural = problems.length === 1 ? 'secret' : 'secrets';
    throw new ImagectlError('SECRET_UNRESOLVED', `${problems.length} ${plural} could not be read:\n${problems.map(formatDiagnostic).join('\n')}`, {
      diagnostics: problems,
    });
  }
  return { providers, imageSecrets };
}
