// The chaos run's operator accidents, beside the clouds' own faults (harness.ts):
// - a holder paused past its lock (SIGSTOP), its lock broken with `state unlock --force`, another
//   run applying meanwhile, then the first resumed (SIGCONT): it must stop, not write on;
// - a second state (another folder, same addresses, its own names) applying on the same spaces:
//   neither may adopt, delete or report the other's images as its own;
// - a redirect to another origin: a recorder stands there, and must receive nothing;
// - a plugin that echoes its secret token into an attribute (echo-plugin.mjs).
// Deletes refused by the clouds are a simulator fault (deleteRefusedRate in CHAOS_FAULTS).
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROVIDERS_YAML } from '../e2e/support.js';

/** Every request that reached the other origin of a redirect: a client must never follow one. */
export interface Recorder {
  port: number;
  received: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
  const received: Recorder['received'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => void (body += c.toString('latin1')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export const SAMPLE = 'a tiny disk image for the chaos run\n';
const SAMPLE_SHA = createHash('sha256').update(SAMPLE).digest('hex');
const ECHO_PLUGIN = new URL('./echo-plugin.mjs', import.meta.url).pathname;

/**
 * The chaos config: the e2e providers (Nutanix `prod`, Numspot `eu`) and a `lab` provider served
 * by the echoing plugin, which leaks its token into attributes at `echoRate`.
 */
export function chaosConfig(images: string, echoRate: number, seed: number): string {
  return `version: 1
providers:
${PROVIDERS_YAML}  lab:
    driver:
      command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(ECHO_PLUGIN)}, "${echoRate}", "${seed}"]
    directory: ./lab
    token: { env: LAB_TOKEN }
images:
${images}`;
}

/** A lab image (every tenth address): a small file the plugin copies into its folder. */
export function labImageYaml(i: number, note: string, v2: string, suffix: string): string {
  return `  lab${i}:
    provider: lab
    name: chaos-lab-${i}${v2}${suffix}
    description: ${note} ${i}
    url: file:sample.img
    checksum: ${SAMPLE_SHA}
`;
}

export function writeSample(dir: string): void {
  writeFileSync(join(dir, 'sample.img'), SAMPLE);
}

/** The lab "cloud": the plugin's sidecar files, one per image. */
export function labImages(dir: string): { id: string; name: string; owner?: { lineage?: string } }[] {
  const folder = join(dir, 'lab');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((n) => /^img-[0-9a-f]{16}\.json$/.test(n))
    .map((n) => JSON.parse(readFileSync(join(folder, n), 'utf8')) as { id: string; name: string; owner?: { lineage?: string } });
}

/** The id of the exclusive lock on the state, if one is held now. */
function lockId(dir: string): string | undefined {
  try {
    const info = JSON.parse(readFileSync(join(dir, '.imagectl', 'state.json.lock'), 'utf8')) as { id?: unknown };
    return typeof info.id === 'string' ? info.id : undefined;
  } catch {
    return undefined;
  }
}

export interface PausedOutcome {
  /** How the paused run ended once resumed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whether its lock was found and broken while it was paused. */
  broken: boolean;
}

/**
 * Pauses `child` after `pauseAfterMs`, breaks its lock as an operator would (`state unlock
 * --force`), runs `meanwhile` (another apply), then resumes the child and waits for its end.
 */
export async function pauseBreakResume(
  child: ChildProcess,
  dir: string,
  pauseAfterMs: number,
  unlock: (id: string) => Promise<unknown>,
  meanwhile: () => Promise<unknown>,
): Promise<PausedOutcome> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => void (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => void (stderr += c.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('close', (code, signal) => done({ code, signal })));
  const first = await Promise.race([sleep(pauseAfterMs).then(() => 'paused' as const), ended.then(() => 'ended' as const)]);
  if (first === 'ended') return { ...(await ended), stdout, stderr, broken: false };
  child.kill('SIGSTOP');
  const id = lockId(dir);
  if (id !== undefined) await unlock(id);
  await meanwhile();
  child.kill('SIGCONT');
  return { ...(await ended), stdout, stderr, broken: id !== undefined };
}

