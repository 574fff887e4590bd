// Shared plumbing for the loopback HTTP simulators (Nutanix and Numspot): listening on 127.0.0.1
// only, a record of every exchange for contract tests, and reproducible fault injection so a
// driver's retry logic can be tested against the same "bad day" twice. Bodies in and out: messages.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody, toSimRequest, writeResponse, type SimRequest, type SimResponse } from './messages.js';

/** Fault injection, applied per request. Rates are fractions in [0, 1]. */
export interface Faults {
  /** Added to every request before it is handled. */
  latencyMs?: number;
  /** Uniform random extra latency in [0, jitterMs). */
  jitterMs?: number;
  /** Fraction of requests answered 500, 502 or 503 without acting. */
  errorRate?: number;
  /** Fraction of requests answered 429 with Retry-After, without acting. */
  throttleRate?: number;
  /** Retry-After value in seconds for throttled requests (default 1). */
  retryAfterSeconds?: number;
  /** Fraction of requests whose socket is destroyed before acting: nothing happened. */
  dropBeforeRate?: number;
  /** Fraction of requests that are acted on, then the socket is destroyed: it happened, unseen. */
  dropAfterRate?: number;
  /**
   * Fraction of DELETE requests refused with 409 without acting, as a cloud refuses to delete an
   * image that is in use. The chaos run uses it so that replacements meet deletes that fail.
   */
  deleteRefusedRate?: number;
  /**
   * Fraction of requests answered 307 to another origin (http://127.0.0.1:redirectPort, same path)
   * without acting: a misconfigured proxy or a hostile endpoint. A client must never follow it
   * with a body or credentials.
   */
  redirectRate?: number;
  redirectPort?: number;
  // The faults below are the clouds' own, not the transport's: each simulator reads those of its
  // API when it creates a task, an image or checks a token (startSimServer ignores them).
  /** Nutanix: fraction of new tasks that end FAILED having done nothing. */
  taskFailureRate?: number;
  /** Nutanix: fraction of new tasks that take `slowTaskFactor` (default 10) times longer. */
  slowTaskRate?: number;
  slowTaskFactor?: number;
  /** Numspot: fraction of new images that end `failed` after being `pending`. */
  imageFailureRate?: number;
  /** Numspot: fraction of new images held `pending` for `stuckMs` (default 10 000) more. */
  stuckRate?: number;
  stuckMs?: number;
  /** Numspot: fraction of authenticated requests that find their token expired (401). */
  tokenExpiryRate?: number;
}

/** One request and its answer. `status` 0 means the connection was dropped without an answer. */
export interface RecordedExchange {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Every value of every query parameter (`query` keeps the last one). */
  queryAll?: Record<string, string[]>;
  headers: Record<string, string>;
  body?: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody?: unknown;
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface SimServerOptions {
  port?: number;
  seed?: number;
  faults?: Faults;
  /** Base latency added to every request, on top of faults.latencyMs. */
  latencyMs?: number;
  /** Body for injected 5xx/429 answers, so they look like the emulated service's errors. */
  faultBody?: (status: number) => unknown;
  /** Extra headers for injected 5xx/429 answers (e.g. a problem+json content type). */
  faultHeaders?: (status: number) => Record<string, string>;
  /** The answer to a DELETE refused by the deleteRefusedRate fault, in the API's own words. */
  refusedDelete?: () => SimResponse;
}

export interface SimServer {
  url: string;
  exchanges: RecordedExchange[];
  setFaults(f: Faults | undefined): void;
  close(): Promise<void>;
}

/** mulberry32: tiny, fast, good enough to make fault sequences reproducible from a seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type FaultDecision = { kind: 'none' } | { kind: 'dropBefore' } | { kind: 'respond'; response: SimResponse };

function decideFault(f: Faults, rng: () => number, opts: Pick<SimServerOptions, 'faultBody' | 'faultHeaders' | 'refusedDelete'>, req: SimRequest): FaultDecision {
  if (rng() < (f.dropBeforeRate ?? 0)) return { kind: 'dropBefore' };
  // The later faults draw only when set, so the sequences of older seeds stay as they were.
  if (f.redirectRate && f.redirectPort && rng() < f.redirectRate) {
    const search = new URLSearchParams(req.query).toString();
    const location = `http://127.0.0.1:${f.redirectPort}${req.path}${search === '' ? '' : `?${search}`}`;
    return { kind: 'respond', response: { status: 307, headers: { location } } };
  }
  if (f.deleteRefusedRate && req.method === 'DELETE' && rng() < f.deleteRefusedRate) {
    return { kind: 'respond', response: opts.refusedDelete?.() ?? { status: 409 } };
  }
  if (rng() < (f.throttleRate ?? 0)) {
    const headers = { ...opts.faultHeaders?.(429), 'retry-after': String(f.retryAfterSeconds ?? 1) };
    return { kind: 'respond', response: { status: 429, headers, body: opts.faultBody?.(429) } };
  }
  if (rng() < (f.errorRate ?? 0)) {
    const status = [500, 502, 503][Math.floor(rng() * 3)] ?? 500;
    const extra = opts.faultHeaders?.(status);
    return { kind: 'respond', response: { status, ...(extra ? { headers: extra } : {}), body: opts.faultBody?.(status) } };
  }
  return { kind: 'none' };
}

/** Start a simulator on 127.0.0.1. Faults are drawn from one seeded stream, in request order. */
export async function startSimServer(handler: SimHandler, opts: SimServerOptions = {}): Promise<SimServer> {
  let faults = opts.faults;
  const rng = mulberry32(opts.seed ?? (Date.now() & 0xffffffff));
  const exchanges: RecordedExchange[] = [];
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const sreq = toSimRequest(req, await readBody(req));
    const f = faults ?? {};
    const delay = (opts.latencyMs ?? 0) + (f.latencyMs ?? 0) + (f.jitterMs ? rng() * f.jitterMs : 0);
    if (delay > 0) await sleep(delay);
    const record = (status: number, responseHeaders: Record<string, string>, responseBody?: unknown) => {
      const ex: RecordedExchange = { method: sreq.method, path: sreq.path, query: sreq.query, headers: sreq.headers, status, responseHeaders };
      if (sreq.queryAll !== undefined) ex.queryAll = sreq.queryAll;
      if (sreq.body !== undefined) ex.body = sreq.body;
      else if (sreq.rawBody !== '') ex.body = sreq.rawBody;
      if (responseBody !== undefined) ex.responseBody = responseBody;
      exchanges.push(ex);
    };
    const fault = decideFault(f, rng, opts, sreq);
    if (fault.kind === 'dropBefore') {
      record(0, {});
      req.socket.destroy();
      return;
    }
    const response = fault.kind === 'respond' ? fault.response : await handler(sreq);
    if (fault.kind === 'none' && rng() < (f.dropAfterRate ?? 0)) {
      record(0, {});
      req.socket.destroy();
      return;
    }
    const sent = writeResponse(res, response);
    record(response.status, sent, response.body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // A handler bug must surface as a 500 the test can see, not as a hung request.
      if (!res.headersSent) writeResponse(res, { status: 500, body: { error: e instanceof Error ? e.message : String(e) } });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    setFaults: (f) => {
      faults = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Keep-alive sockets would hold close() open until they time out.
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
