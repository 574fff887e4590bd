// GET /api/clustermgmt/v4.0/config/clusters: enough of clustermgmt for drivers to resolve
// cluster names to the extIds that images' clusterLocationExtIds need.
import type { SimRequest, SimResponse } from '../messages.js';
import { CLUSTERS_PATH, type ClusterSeed, type SimContext } from './context.js';
import { apiResponse, typed, type Json } from './envelope.js';
import { schemaError } from './errors.js';
import { pageOf, parseListQuery } from './list-query.js';
import { rfc3339Micros } from '../time.js';

export const DEFAULT_CLUSTERS: readonly ClusterSeed[] = [
  { extId: '0006411c-0286-bc71-9f02-191e334d457b', name: 'PHX-POC01', function: 'AOS' },
  { extId: '00063a1c-a953-2048-0000-000000028f57', name: 'PHX-POC02', function: 'AOS' },
  { extId: '0005f5c6-1f6d-4a1b-8c3e-5e2b7d9a0c11', name: 'prism-central', function: 'PRISM_CENTRAL' },
];

const WRAPPER = 'clustermgmt.v4.config.ListClustersApiResponse';

export function clusterWire(c: ClusterSeed): Json {
  return typed('clustermgmt.v4.config.Cluster', {
    extId: c.extId,
    name: c.name,
    config: typed('clustermgmt.v4.config.ClusterConfigReference', { clusterFunction: [c.function ?? 'AOS'] }),
  });
}

export function listClusters(req: SimRequest, ctx: SimContext): SimResponse {
  const q = parseListQuery(req.query, { filterFields: ['name', 'extId'], orderFields: ['name'], select: undefined });
  if ('problems' in q) return schemaError('clustermgmt', WRAPPER, req.path, q.problems, rfc3339Micros(ctx.clock.nowUs()));
  const rows = ctx.clusters.map((c) => ({ extId: c.extId, name: c.name, seed: c }));
  const page = pageOf(rows, q, `${ctx.baseUrl}${CLUSTERS_PATH}`);
  return { status: 200, body: apiResponse(WRAPPER, page.items?.map((r) => clusterWire(r.seed)), page.metadata) };
}
