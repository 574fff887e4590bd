// Plan-time lookups: `{lookup: cluster, name: X}` → the cluster's ext_id, through the
// clustermgmt v4.0 list with an OData filter. The match is checked again here.
import { DriverError, type LookupMatch } from '../contract.js';
import type { JsonObject } from '../../util/json.js';
import type { NutanixClient } from './client.js';

/** OData string literal: single quotes doubled. */
export function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export async function lookup(client: NutanixClient, kind: string, query: JsonObject): Promise<LookupMatch[]> {
  const name = query['name'];
  if (kind !== 'cluster') throw new DriverError('invalid', `nutanix has no lookup of kind ${kind} (known: cluster)`, { definitive: true });
  if (typeof name !== 'string' || name === '') throw new DriverError('invalid', 'a cluster lookup needs a name', { definitive: true });
  const clusters = await client.listClusters(`name eq ${odataString(name)}`);
  // Filter again here: the match must be exact whatever the server's filter dialect does.
  return clusters.flatMap((c) => (typeof c.extId === 'string' && c.name === name ? [{ id: c.extId, name }] : []));
}
