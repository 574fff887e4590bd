// A scripted HTTP server on 127.0.0.1 for the HTTP client tests: each request takes the next
// step of the script (an answer, a dropped socket, a hang), and every request is recorded.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Step =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { drop: true }
  | { hangMs: number; status?: number };

export interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  at: number;
}

export interface ScriptServer {
  url: string;
  seen: Seen[];
  /** The peak of concurrent requests the server saw. */
  peak(): number;
  close(): Promise<void>;
}

export async function scriptServer(steps: Step[], fallback: Step = { status: 200, body: { ok: true } }): Promise<ScriptServer> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  let active = 0;
  let peak = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    active++;
    peak = Math.max(peak, active);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() });
    const step = steps.shift() ?? fallback;
    if ('drop' in step) {
      active--;
      req.socket.destroy();
      return;
    }
    if ('hangMs' in step) await new Promise((r) => setTimeout(r, step.hangMs));
    const status = step.status ?? 200;
    const body = 'body' in step && step.body !== undefined ? JSON.stringify(step.body) : '';
    res.writeHead(status, { 'content-type': 'application/json', ...('headers' in step ? step.headers : {}) });
    res.end(body);
    active--;
  };
  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    peak: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
