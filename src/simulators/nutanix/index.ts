// A faithful local Prism Central v4 (vmm images, prism tasks, clustermgmt clusters) on loopback.
// Choices where the real service is undocumented (research/nutanix.md §9):
//  - an image appears in GET/list only once its create task has SUCCEEDED, and changes or
//    disappears only when its update/delete task has;
//  - a replayed NTNX-Request-Id returns the original TaskReference (202) and does nothing new;
//  - basicAuth is never returned (the spec requires a password in it, so it is dropped whole);
//  - a create/update whose URL host ends in `.invalid` or whose URL contains `fail`, or whose
//    clusterLocationExtIds name an unknown cluster, ends FAILED with errorMessages.
import { existsSync } from 'node:fs';
import { mulberry32, startSimServer, type Faults, type RecordedExchange } from '../http.js';
import { DEFAULT_CLUSTERS } from './clusters.js';
import type { ClusterSeed, SimContext } from './context.js';
import { errorEnvelope, appMessage, MESSAGES } from './errors.js';
import { imageWire } from './image-wire.js';
import { nutanixHandler } from './server.js';
import { loadState, saveState } from './store.js';
import { settle } from './tasks.js';
import { MicroClock } from '../time.js';

export type { Faults, RecordedExchange } from '../http.js';

export interface NutanixSimOptions {
  port?: number;
  username?: string;
  password?: string;
  latencyMs?: number;
  taskDurationMs?: number;
  statePath?: string;
  clusters?: { extId: string; name: string }[];
  faults?: Faults;
  seed?: number;
}

export interface NutanixSimulator {
  url: string;
  username: string;
  password: string;
  exchanges: RecordedExchange[];
  listImages(): unknown[];
  failNextTasks(n: number, message?: string): void;
  setFaults(f: Faults | undefined): void;
  close(): Promise<void>;
}

export async function startNutanixSimulator(opts: NutanixSimOptions = {}): Promise<NutanixSimulator> {
  const username = opts.username ?? 'admin';
  const password = opts.password ?? 'nutanix/4u';
  const statePath = opts.statePath;
  const clusters: readonly ClusterSeed[] = opts.clusters ? opts.clusters.map((c) => ({ extId: c.extId, name: c.name })) : DEFAULT_CLUSTERS;
  const ctx: SimContext = {
    state: loadState(statePath),
    clock: new MicroClock(),
    taskDurationMs: opts.taskDurationMs ?? 300,
    clusters,
    baseUrl: '',
    username,
    persist: () => saveState(statePath, ctx.state),
    faults: opts.faults,
    random: mulberry32((opts.seed ?? Date.now() & 0xffffffff) ^ 0x7a5c),
  };
  // loadState dropped any source password an older simulator saved: rewrite the file at once.
  if (statePath !== undefined && existsSync(statePath)) ctx.persist();
  const server = await startSimServer(nutanixHandler(ctx, password), {
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.faults !== undefined ? { faults: opts.faults } : {}),
    ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
    faultBody: (status) => errorEnvelope('vmm', 'vmm.v4.content.ListImagesApiResponse', [appMessage('vmm', status === 429 ? { code: 'VMM-10429', message: 'Too many requests.' } : MESSAGES.serverError)]),
    // The spec allows any 4XX VmmError for a delete; Prism answers 409 for an image in use.
    refusedDelete: () => ({ status: 409, body: errorEnvelope('vmm', 'vmm.v4.content.DeleteImageApiResponse', [appMessage('vmm', MESSAGES.inUse)]) }),
  });
  ctx.baseUrl = server.url;
  return {
    url: server.url,
    username,
    password,
    exchanges: server.exchanges,
    listImages: () => {
      settle(ctx, ctx.clock.nowUs());
      return ctx.state.images.map((img) => imageWire(img));
    },
    failNextTasks: (n, message) => {
      ctx.state.pendingFailures = message === undefined ? { count: n } : { count: n, message };
      ctx.persist();
    },
    setFaults: (f) => {
      ctx.faults = f;
      server.setFaults(f);
    },
    close: server.close,
  };
}
