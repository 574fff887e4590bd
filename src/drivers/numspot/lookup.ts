// Plan-time lookups: `{lookup: vm, tags: {K: V}}`, `{lookup: snapshot, description: D}`,
// `{lookup: image, name: N, image_type: official}` → ids. The API's filters narrow the answer;
// every condition is checked again here, because values inside one filter are ORed (two `tags`
// values match either pair) and a gateway may drop a filter it does not know.
import { DriverError, type LookupMatch } from '../contract.js';
import { isObject, type JsonObject } from '../../util/json.js';
import type { NumspotClient, Query } from './client.js';
import { wireTags } from './tags.js';
import type { WireTag } from './wire.js';

/** States of things that are going away: never worth building an image from. */
const GONE_VM = new Set(['terminated', 'shutting-down', 'quarantine']);
const GONE_SNAPSHOT = new Set(['deleting', 'error']);

function invalid(message: string): DriverError {
  return new DriverError('invalid', message, { definitive: true });
}

function tagPairs(query: JsonObject): [string, string][] {
  const tags = query['tags'];
  if (tags === undefined) return [];
  if (!isObject(tags)) throw invalid('lookup tags must be a map of KEY: VALUE');
  return Object.entries(tags).map(([k, v]) => {
    if (typeof v !== 'string') throw invalid(`lookup tag ${k} must have a string value`);
    return [k, v];
  });
}

function optionalString(query: JsonObject, key: string): string | undefined {
  const v = query[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw invalid(`lookup ${key} must be a non-empty string`);
  return v;
}

/** The spec's three tag filters take `KEY=VALUE` strings in `tags`. */
function tagQuery(pairs: [string, string][]): Query {
  return pairs.length === 0 ? {} : { tags: pairs.map(([k, v]) => `${k}=${v}`) };
}

function hasAll(tags: WireTag[], pairs: [string, string][]): boolean {
  return pairs.every(([k, v]) => tags.some((t) => t.key === k && t.value === v));
}

function nameTag(tags: WireTag[]): string | undefined {
  return tags.find((t) => t.key === 'Name' || t.key === 'name')?.value;
}

async function lookupVm(client: NumspotClient, query: JsonObject): Promise<LookupMatch[]> {
  const pairs = tagPairs(query);
  const id = optionalString(query, 'id');
  const vms = await client.listVms({ ...tagQuery(pairs), ...(id ? { ids: [id] } : {}) });
  return vms.flatMap((vm) => {
    const tags = wireTags(vm.tags);
    if (typeof vm.id !== 'string' || (id && vm.id !== id) || !hasAll(tags, pairs) || GONE_VM.has(String(vm.state))) return [];
    const name = nameTag(tags);
    return [name === undefined ? { id: vm.id } : { id: vm.id, name }];
  });
}

async function lookupSnapshot(client: NumspotClient, query: JsonObject): Promise<LookupMatch[]> {
  const pairs = tagPairs(query);
  const id = optionalString(query, 'id');
  const description = optionalString(query, 'description');
  const q: Query = { ...tagQuery(pairs), ...(id ? { ids: [id] } : {}), ...(description ? { descriptions: [description] } : {}) };
  const snaps = await client.listSnapshots(q);
  return snaps.flatMap((s) => {
    const tags = wireTags(s.tags);
    if (typeof s.id !== 'string' || (id && s.id !== id) || (description !== undefined && s.description !== description)) return [];
    if (!hasAll(tags, pairs) || GONE_SNAPSHOT.has(String(s.state))) return [];
    return [typeof s.description === 'string' && s.description !== '' ? { id: s.id, name: s.description } : { id: s.id }];
  });
}

async function lookupImage(client: NumspotClient, query: JsonObject): Promise<LookupMatch[]> {
  const name = optionalString(query, 'name');
  const imageType = optionalString(query, 'image_type');
  if (name === undefined) throw invalid('an image lookup needs a name');
  const images = await client.listImages({ imageNames: [name], ...(imageType ? { imageType } : {}) });
  return images.flatMap((i) => (typeof i.id === 'string' && i.name === name ? [{ id: i.id, name }] : []));
}

export function lookup(client: NumspotClient, kind: string, query: JsonObject): Promise<LookupMatch[]> {
  switch (kind) {
    case 'vm':
      return lookupVm(client, query);
    case 'snapshot':
      return lookupSnapshot(client, query);
    case 'image':
      return lookupImage(client, query);
    default:
      return Promise.reject(invalid(`numspot has no lookup of kind ${kind} (known: vm, snapshot, image)`));
  }
}
