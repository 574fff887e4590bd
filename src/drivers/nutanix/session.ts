// A live session with one Prism Central: builds the HTTP client (basic auth, limits, retries) and
// wires the operations to the DriverSession contract.
import {
  DriverError,
  type CreateRequest,
  type DriverEnv,
  type DriverSession,
  type IntentView,
  type ListResult,
  type LookupMatch,
  type OpContext,
  type ProviderConfig,
  type ReadResult,
  type RecoverResult,
  type UpdateRequest,
} from '../contract.js';
import type { ObservedImage } from '../../fields/observed.js';
import { HttpClient, type HttpClientOptions, type HttpRequest } from '../http/index.js';
import { tlsDispatcher } from '../http/transport.js';
import type { PollTiming } from '../poll/index.js';
import type { JsonObject } from '../../util/json.js';
import { NutanixClient, REQUEST_ID_HEADER } from './client.js';
import { createImage } from './create.js';
import { deleteImage } from './delete.js';
import type { OpsDeps } from './deps.js';
import { describeNutanixError } from './errors.js';
import { LIST_PAGES_IN_FLIGHT, listAllImages, PAGE_SIZE } from './list.js';
import { lookup } from './lookup.js';
import { fromWireImage } from './mapping.js';
import { recoverIntent } from './recover.js';
import { parseSettings, settingsWarnings, type NutanixSettings } from './settings.js';
import { updateImage } from './update.js';
import { DEFAULT_POLL, taskPoller } from './wait.js';

/** Knobs tests turn down; production uses the defaults. */
export interface SessionTuning {
  poll: PollTiming;
  updateAttempts: number;
  pageSize: number;
  /** List pages in flight (at least --parallelism): see list.ts. */
  listPagesInFlight: number;
  http: Pick<HttpClientOptions, 'backoff' | 'maxRetries' | 'retryAfterCapMs' | 'random' | 'fetch'>;
}

export const DEFAULT_TUNING: SessionTuning = { poll: DEFAULT_POLL, updateAttempts: 5, pageSize: PAGE_SIZE, listPagesInFlight: LIST_PAGES_IN_FLIGHT, http: {} };

/** POST and PUT carry NTNX-Request-Id, the API's idempotency key: repeating them cannot act twice. */
function retrySafe(req: HttpRequest): boolean {
  return ['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(req.method) || req.headers?.[REQUEST_ID_HEADER] !== undefined;
}

class NutanixSession implements DriverSession {
  constructor(
    private readonly client: NutanixClient,
    private readonly deps: OpsDeps,
    private readonly env: DriverEnv,
    private readonly pageSize: number,
    private readonly pagesInFlight: number,
  ) {}

  async list(): Promise<ListResult> {
    const before = this.client.requestCount;
    const images = await listAllImages(this.client, this.pagesInFlight, this.pageSize);
    return { images, requests: this.client.requestCount - before };
  }

  async read(id: string): Promise<ReadResult> {
    try {
      const got = await this.client.getImage(id);
      return got.found ? { status: 'found', image: fromWireImage(got.image, got.etag) } : { status: 'not_found' };
    } catch (err) {
      // Never "not found" for a failure: an auth error must not look like a deleted image.
      if (err instanceof DriverError) return { status: 'error', kind: err.kind, message: err.message };
      throw err;
    }
  }

  create(req: CreateRequest, ctx: OpContext): Promise<ObservedImage> {
    return createImage(this.deps, req, ctx);
  }

  update(req: UpdateRequest, ctx: OpContext): Promise<ObservedImage> {
    return updateImage(this.deps, req, ctx);
  }

  delete(id: string, ctx: OpContext): Promise<void> {
    return deleteImage(this.deps, id, ctx);
  }

  recover(intent: IntentView): Promise<RecoverResult> {
    return recoverIntent(this.deps, intent);
  }

  lookup(kind: string, query: JsonObject): Promise<LookupMatch[]> {
    return lookup(this.client, kind, query);
  }

  async close(): Promise<void> {
    // fetch pools its own sockets; the poller's one timer runs only while something waits.
    this.deps.tasks.close();
  }
}

export function createNutanixSession(settings: NutanixSettings, env: DriverEnv, tuning: SessionTuning = DEFAULT_TUNING): DriverSession {
  const pagesInFlight = Math.max(1, env.parallelism, tuning.listPagesInFlight);
  const basic = Buffer.from(`${settings.username}:${settings.password}`).toString('base64');
  const opts: HttpClientOptions = {
    ...tuning.http,
    baseUrl: settings.endpoint,
    headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' },
    timeoutMs: settings.timeoutMs,
    maxInFlight: Math.max(1, env.parallelism),
    maxBulkInFlight: pagesInFlight,
    isRetrySafe: retrySafe,
    describeError: describeNutanixError,
    secrets: [settings.password, basic],
  };
  if (settings.maxRequestsPerSecond !== undefined) opts.maxRequestsPerSecond = settings.maxRequestsPerSecond;
  const dispatcher = tlsDispatcher('nutanix', settings);
  if (dispatcher !== undefined) opts.dispatcher = dispatcher;
  const client = new NutanixClient(new HttpClient(opts));
  // Task reads share the HTTP client's in-flight bound and rate limit with every other call.
  const tasks = taskPoller(client, tuning.poll, env.parallelism);
  const deps: OpsDeps = { client, taskTimeoutMs: settings.taskTimeoutMs, tasks, updateAttempts: tuning.updateAttempts };
  return new NutanixSession(client, deps, env, tuning.pageSize, pagesInFlight);
}

export async function connectNutanix(provider: ProviderConfig, env: DriverEnv): Promise<DriverSession> {
  const settings = parseSettings(provider);
  for (const w of settingsWarnings(settings, provider.name)) env.warn(w);
  return createNutanixSession(settings, env);
}
