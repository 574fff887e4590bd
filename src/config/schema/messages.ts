// Human wording for ajv's keywords. ajv's own messages ("must NOT have additional properties")
// name neither the field nor the fix; these say what is wrong and, where possible, what to write.
// No message ever quotes the offending value: it may be a secret typed in by mistake.
import type { ErrorObject } from 'ajv';
import { isObject } from '../../util/json.js';
import { ADDRESS_PATTERN } from './defs.js';
import { didYouMean } from '../../util/suggest.js';

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

export function typeWords(types: readonly string[]): string {
  return types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function param(e: ErrorObject, name: string): unknown {
  return (e.params as Record<string, unknown>)[name];
}

/** A sentence for one ajv error (without the path prefix). */
export function keywordMessage(e: ErrorObject): string {
  const limit = param(e, 'limit');
  switch (e.keyword) {
    case 'type':
      return `must be ${typeWords(String(param(e, 'type')).split(','))}`;
    case 'enum': {
      const allowed = (param(e, 'allowedValues') as unknown[]).map(show);
      const hint = typeof e.data === 'string' ? didYouMean(e.data, allowed) : '';
      return `must be one of ${allowed.join(', ')}${hint}`;
    }
    case 'const':
      return `must be ${show(param(e, 'allowedValue'))}`;
    case 'pattern':
      return `must match the pattern ${String(param(e, 'pattern'))}`;
    case 'format':
      return `must be a valid ${String(param(e, 'format'))}`;
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${String(limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(limit)} characters long`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(param(e, 'comparison'))} ${String(limit)}`;
    case 'minItems':
      return `must have at least ${String(limit)} item${limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(limit)} items`;
    case 'uniqueItems':
      return `must not repeat items (items ${String(param(e, 'j'))} and ${String(param(e, 'i'))} are equal)`;
    case 'minProperties':
      return 'must not be empty';
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}

export function requiredMessage(e: ErrorObject): string {
  return `missing required field '${String(param(e, 'missingProperty'))}'`;
}

export function unknownFieldMessage(e: ErrorObject, field: string): string {
  const props = isObject(e.parentSchema) && isObject(e.parentSchema['properties']) ? Object.keys(e.parentSchema['properties']) : [];
  return `unknown field '${field}'${didYouMean(field, props)}`;
}

/** For a bad key under a map whose keys are constrained (addresses, provider names). */
export function badNameMessage(e: ErrorObject, name: string): string {
  if (e.keyword === 'pattern' && param(e, 'pattern') === ADDRESS_PATTERN) {
    return `invalid name '${name}': use letters, digits, '_' and '-', starting with a letter or digit`;
  }
  if (e.keyword === 'not') return `invalid name '${name}': reserved (every JavaScript object has a member of that name), choose another`;
  return `invalid name '${name}': ${keywordMessage(e)}`;
}
