// The wire side of a simulated request: reading the body (bounded), turning Node's request into a
// SimRequest with every query value kept, and writing a SimResponse with its content type and length.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SimRequest {
  method: string;
  /** Raw path as sent (percent-encoding kept), without the query string. */
  path: string;
  query: Record<string, string>;
  /**
   * Every value of every query parameter, in order. `query` keeps only the last one; OpenAPI
   * form/explode arrays arrive as repeated keys (`?ids=a&ids=b`), so array filters need this.
   */
  queryAll?: Record<string, string[]>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  rawBody: string;
  /** Parsed JSON body; undefined when the body is empty or not JSON (see `bodyError`). */
  body?: unknown;
  bodyError?: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as text/plain. */
  body?: unknown;
}

export function readBody(req: IncomingMessage, limitBytes = 10 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limitBytes) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseJsonBody(raw: string): { body?: unknown; bodyError?: string } {
  if (raw.trim() === '') return {};
  try {
    return { body: JSON.parse(raw) as unknown };
  } catch (e) {
    return { bodyError: e instanceof Error ? e.message : String(e) };
  }
}

export function toSimRequest(req: IncomingMessage, rawBody: string): SimRequest {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query: Record<string, string> = {};
  const queryAll: Record<string, string[]> = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(target.slice(q + 1))) {
      query[k] = v;
      (queryAll[k] ??= []).push(v);
    }
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return { method: (req.method ?? 'GET').toUpperCase(), path, query, queryAll, headers, rawBody, ...parseJsonBody(rawBody) };
}

export function writeResponse(res: ServerResponse, r: SimResponse): Record<string, string> {
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let payload: string | undefined;
  if (typeof r.body === 'string') {
    payload = r.body;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (r.body !== undefined) {
    payload = JSON.stringify(r.body);
    headers['content-type'] ??= 'application/json';
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(r.status, headers);
  res.end(payload);
  return headers;
}
