// Summarise a V8 .cpuprofile: self time by file (or by function with --fn), biggest first.
// Usage: node bench/tools/prof-summary.mjs FILE.cpuprofile [--fn] [--top N]
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
if (!file) throw new Error('usage: prof-summary.mjs FILE.cpuprofile [--fn] [--top N]');
const byFn = rest.includes('--fn');
const top = Number(rest[rest.indexOf('--top') + 1]) || 25;
const p = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas;
for (let i = 0; i < p.samples.length; i++) {
  const n = nodes.get(p.samples[i]);
  const cf = n.callFrame;
  const url = cf.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm/').replace('/work/main/', '');
  const key = byFn ? `${cf.functionName || '(anon)'} ${url}:${cf.lineNumber + 1}` : url || cf.functionName;
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
}
const total = (p.endTime - p.startTime) / 1000;
console.log(`total ${total.toFixed(0)} ms`);
for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${k}`);
// --callers NAME: self time of NAME split by the chain of its callers (3 frames up).
const ci = rest.indexOf('--callers');
if (ci >= 0) {
  const want = rest[ci + 1];
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const by = new Map();
  for (let i = 0; i < p.samples.length; i++) {
    let id = p.samples[i];
    if (nodes.get(id).callFrame.functionName !== want) continue;
    const chain = [];
    for (let k = 0; k < 4 && parent.has(id); k++) {
      id = parent.get(id);
      chain.push(nodes.get(id).callFrame.functionName || '(anon)');
    }
    const key = chain.join(' < ');
    by.set(key, (by.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  console.log(`callers of ${want}:`);
  for (const [k, ms] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${k}`);
}
