// Schema validation of the main file, of included files' shape, and of each image against the
// image schema of its provider's driver, then the driver's own semantic checks. Every problem
// becomes a positioned diagnostic; nothing here throws for bad input.
import type { Driver } from '../../drivers/contract.js';
import { errorMessage } from '../../util/errors.js';
import { isObject, pointerToPath, setOwn, type JsonObject, type JsonValue } from '../../util/json.js';
import type { Validators } from './validators.js';
import { displayPath, type Diagnostics } from '../diagnostics.js';
import { explain, type Problem } from './explain.js';
import type { ParsedFile } from '../yaml/parse.js';
import { objectPos, posAt, type Path } from '../yaml/positions.js';
import { COMMON_IMAGE_KEYS } from './compose.js';
import { didYouMean } from '../../util/suggest.js';
import type { SourcePos } from '../types.js';

/** One image as found in the main file or an included file. */
export interface ImageEntry {
  address: string;
  pf: ParsedFile;
  /** Where the image sits in its file: ['images', address]. */
  path: Path;
  value: unknown;
}

export function problemPos(pf: ParsedFile, p: Problem): SourcePos {
  if (p.at === 'object') return objectPos(pf, p.path);
  return posAt(pf, p.path, { key: p.at === 'key' });
}

export function report(diags: Diagnostics, pf: ParsedFile, problems: readonly Problem[]): void {
  for (const p of problems) diags.add(problemPos(pf, p), `${displayPath(p.path)}: ${p.message}`);
}

/** The main file against the top-level shape (providers are dispatched on `driver` by the schema). */
export function validateRoot(pf: ParsedFile, v: Validators, diags: Diagnostics): void {
  if (pf.value === null || pf.value === undefined) {
    diags.add(posAt(pf, []), 'the file is empty: expected a mapping starting with version: 1');
    return;
  }
  if (!v.root(pf.value)) report(diags, pf, explain(v.root.errors ?? [], v));
}

/** An included file holds an `images:` map and nothing else. */
export function validateIncludeFile(pf: ParsedFile, v: Validators, diags: Diagnostics): boolean {
  if (pf.value === null || pf.value === undefined) return true; // an empty image file adds nothing
  if (v.includeFile(pf.value)) return true;
  report(diags, pf, explain(v.includeFile.errors ?? [], v));
  return false;
}

/** Driver name per declared provider (only providers whose driver is known). */
export function providerDrivers(root: unknown, v: Validators): Map<string, string> {
  const out = new Map<string, string>();
  const providers = isObject(root) ? root['providers'] : undefined;
  if (!isObject(providers)) return out;
  for (const [name, block] of Object.entries(providers)) {
    const driver = isObject(block) ? block['driver'] : undefined;
    if (typeof driver === 'string' && driver in v.drivers) out.set(name, driver);
    // A plugin (`driver: {command: ...}`) is known by the name it described, once it answered.
    const described = v.external[name];
    if (isObject(driver) && described !== undefined) out.set(name, described);
  }
  return out;
}

/** The image's own fields: everything but the keys common to all images. */
export function imageFields(value: JsonObject): JsonObject {
  return omitKeys(value, COMMON_IMAGE_KEYS);
}

/** A shallow copy of `value` without the keys in `omit`, its other keys in their order. */
export function omitKeys(value: JsonObject, omit: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(value)) {
    if (omit.includes(k)) continue;
    setOwn(out, k, value[k] as JsonValue);
  }
  return out;
}

function isUnder(path: Path, base: Path): boolean {
  return path.length >= base.length && base.every((s, i) => String(s) === String(path[i]));
}

/** `fields` is imageFields(e.value): computed once per image by the caller. */
function driverChecks(e: ImageEntry, fields: JsonObject, driver: Driver, schemaProblems: readonly Problem[], diags: Diagnostics): void {
  if (driver.validate_image === undefined || !isObject(e.value)) return;
  let found: { pointer: string; message: string }[];
  try {
    found = driver.validate_image(fields);
  } catch (err) {
    diags.add(posAt(e.pf, e.path), `${displayPath(e.path)}: the ${driver.schema.driver} driver could not check this image: ${errorMessage(err)}`);
    return;
  }
  for (const f of found) {
    const path = [...e.path, ...pointerToPath(f.pointer)];
    // The schema already said what is wrong with this field (or a parent): a second opinion is noise.
    if (schemaProblems.some((p) => isUnder(path, p.path))) continue;
    diags.add(posAt(e.pf, path), `${displayPath(e.path)}: ${f.message}`);
  }
}

const NO_PROBLEMS: readonly Problem[] = [];

/**
 * Each image against its driver's image schema (common keys included), then the driver's own
 * checks on `fields` (imageFields of the image). `drivers` maps declared provider names to their
 * driver (only providers whose driver is known).
 */
export function validateImage(
  e: ImageEntry,
  fields: JsonObject,
  declared: ReadonlySet<string>,
  drivers: ReadonlyMap<string, string>,
  v: Validators,
  diags: Diagnostics,
): void {
  const providerName = isObject(e.value) ? e.value['provider'] : undefined;
  if (typeof providerName === 'string' && !declared.has(providerName)) {
    diags.add(
      posAt(e.pf, [...e.path, 'provider']),
      `${displayPath([...e.path, 'provider'])}: provider '${providerName}' is not declared${didYouMean(providerName, declared)}`,
    );
  }
  const driverName = typeof providerName === 'string' ? drivers.get(providerName) : undefined;
  const validate = driverName === undefined ? v.imageCommon : v.image(driverName);
  const problems = validate(e.value) ? NO_PROBLEMS : explain(validate.errors ?? [], v, e.path);
  report(diags, e.pf, problems);
  const driver = driverName === undefined ? undefined : v.drivers[driverName];
  if (driver !== undefined) driverChecks(e, fields, driver, problems, diags);
}
