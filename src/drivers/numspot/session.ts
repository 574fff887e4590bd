// A live session with one Numspot space: builds the HTTP client (limits, retries, timeouts),
// the token source and the compute client, and wires the operations to DriverSession.
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
import { TokenSource, TOKEN_PATH } from './auth.js';
import { NumspotClient } from './client.js';
import { createImage } from './create.js';
import { deleteImage } from './delete.js';
import type { OpsDeps } from './deps.js';
import { listSpaceImages } from './list.js';
import { lookup } from './lookup.js';
import { fromWireImage } from './mapping.js';
import { describeNumspotError } from './errors.js';
import { recoverIntent } from './recover.js';
import { parseSettings, settingsWarnings, type NumspotSettings } from './settings.js';
import { updateImage } from './update.js';
import { DEFAULT_POLL, imagePoller } from './wait.js';

/** Knobs tests turn down; production uses the defaults. */
export interface SessionTuning {
  poll: PollTiming;
  conflictRetryMs: number;
  now: () => number;
  http: Pick<HttpClientOptions, 'backoff' | 'maxRetries' | 'retryAfterCapMs' | 'random' | 'fetch'>;
}

export const DEFAULT_TUNING: SessionTuning = { poll: DEFAULT_POLL, conflictRetryMs: 5 * 60_000, now: Date.now, http: {} };

/**
 * What may be sent again after the server may have acted. GET/PUT/DELETE are idempotent, and so
 * are the tag calls (PATCH upserts the same values; DELETE removes the same pairs) and the token
 * request. POST /images is not: Numspot has no idempotency key, and a second POST makes a second
 * image (or a 409 on the name). A POST is therefore retried only when it certainly never reached
 * the server (connection refused) or was refused with 429; any other failure is non-definitive
 * and left to recover(), which finds the image by its journaled id, name and ownership tags.
 */
export function retrySafe(req: HttpRequest): boolean {
  if (req.method === 'POST') return req.path === TOKEN_PATH;
  return true;
}

class NumspotSession implements DriverSession {
  constructor(private readonly deps: OpsDeps) {}

  async list(): Promise<ListResult> {
    const before = this.deps.client.requestCount;
    const images = await listSpaceImages(this.deps.client);
    return { images, requests: this.deps.client.requestCount - before };
  }

  async read(id: string): Promise<ReadResult> {
    try {
      const got = await this.deps.client.getImage(id);
      return got.found ? { status: 'found', image: fromWireImage(got.image) } : { status: 'not_found' };
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
    return lookup(this.deps.client, kind, query);
  }

  async close(): Promise<void> {
    // fetch pools its own sockets; the poller's one timer runs only while something waits.
    this.deps.images.close();
  }
}

export function createNumspotSession(settings: NumspotSettings, env: DriverEnv, provider = 'numspot', tuning: SessionTuning = DEFAULT_TUNING): DriverSession {
  const opts: HttpClientOptions = {
    ...tuning.http,
    baseUrl: settings.host,
    headers: { Accept: 'application/json' },
    timeoutMs: settings.timeoutMs,
    maxInFlight: Math.max(1, env.parallelism),
    isRetrySafe: retrySafe,
    describeError: describeNumspotError,
    secrets: [settings.clientSecret],
  };
  if (settings.maxRequestsPerSecond !== undefined) opts.maxRequestsPerSecond = settings.maxRequestsPerSecond;
  const dispatcher = tlsDispatcher(provider, settings);
  if (dispatcher !== undefined) opts.dispatcher = dispatcher;
  const http = new HttpClient(opts);
  const tokens = new TokenSource({ http, clientId: settings.clientId, clientSecret: settings.clientSecret, provider, now: tuning.now });
  const client = new NumspotClient(http, tokens, settings.spaceId);
  const deps: OpsDeps = {
    client,
    pendingTimeoutMs: settings.pendingTimeoutMs,
    images: imagePoller(client, tuning.poll, tuning.now),
    poll: tuning.poll,
    conflictRetryMs: tuning.conflictRetryMs,
    now: tuning.now,
  };
  if (settings.region !== undefined) deps.region = settings.region;
  return new NumspotSession(deps);
}

export async function connectNumspot(provider: ProviderConfig, env: DriverEnv): Promise<DriverSession> {
  const settings = parseSettings(provider);
  for (const w of settingsWarnings(settings, provider.name)) env.warn(w);
  return createNumspotSession(settings, env, provider.name);
}
