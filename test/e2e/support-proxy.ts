// A loopback proxy for end-to-end tests: forwards every request to a simulator unless `fault`
// answers it first, and can rewrite a forwarded JSON answer. It is how a test makes a provider
// refuse a password, throttle, fail, or answer HTML, without changing the simulator.
import type { Test } from 'tap';
import { createServer, type IncomingMessage } from 'node:http';

export interface FaultAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface FaultProxy {
  url: string;
  /** Decides per request; undefined forwards it. */
  fault: ((req: IncomingMessage) => FaultAnswer | undefined) | undefined;
  /** Rewrites a forwarded JSON body (e.g. to claim more pages than there are). */
  rewrite: ((req: IncomingMessage, body: unknown) => unknown) | undefined;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function faultProxy(t: Test, target: string): Promise<FaultProxy> {
  const proxy: FaultProxy = { url: '', fault: undefined, rewrite: undefined };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const answer = proxy.fault?.(req);
      if (answer) {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body ?? '');
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const init: RequestInit = { method: req.method ?? 'GET', headers, redirect: 'manual' };
      if (body.length > 0) init.body = body;
      const up = await fetch(target + (req.url ?? '/'), init);
      let text = await up.text();
      if (proxy.rewrite && text.startsWith('{')) text = JSON.stringify(proxy.rewrite(req, JSON.parse(text)));
      res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' }).end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  }));
  const addr = server.address();
  proxy.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return proxy;
}
