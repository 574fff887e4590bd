// A bundle's validators compiled now, by an Ajv from the factory: what the built file must match.
import { newAjv } from '../../src/validators/ajv.js';
import type { Validate, ValidatorBundle } from '../../src/validators/bundle.js';

export function compileNow(bundle: ValidatorBundle): (name: string) => Validate {
  const ajv = newAjv();
  const refs = bundle.register(ajv);
  return (name) => {
    const id = refs[name];
    const v = id === undefined ? undefined : ajv.getSchema(id);
    if (v === undefined) throw new Error(`${bundle.name} has no validator ${name}`);
    return v;
  };
}
