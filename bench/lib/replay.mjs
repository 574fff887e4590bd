// This machine's floor for a refresh: the very requests one bulk plan sent (recorded by the
// simulators), replayed with nothing but fetch and JSON.parse, each provider's first request alone
// and the rest at once (the round trips of the lower bound). What imagectl adds to that (mapping,
// the state join, its HTTP client) is the difference from its refresh phase. Prints one JSON line:
// { runs: [ms, ...] }. Usage: node bench/lib/replay.mjs FILE [RUNS]
import { readFileSync } from 'node:fs';

const { providers } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const runs = Number(process.argv[3] ?? 3);

async function send(base, r) {
  const url = new URL(r.path, base);
  for (const [k, v] of r.query) url.searchParams.append(k, v);
  const headers = { ...r.headers };
  for (const h of ['host', 'content-length', 'connection', 'accept-encoding']) delete headers[h];
  const init = { method: r.method, headers };
  if (r.body !== undefined) init.body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const res = await fetch(url, init);
  const text = await res.text();
  return text === '' ? undefined : JSON.parse(text);
}

const out = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  await Promise.all(providers.map(async ({ base, requests }) => {
    const [first, ...rest] = requests;
    if (first) await send(base, first);
    await Promise.all(rest.map((r) => send(base, r)));
  }));
  out.push(performance.now() - t);
}
console.log(JSON.stringify({ runs: out }));
