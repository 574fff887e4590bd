// The chaos run: the BUILT CLI applies a config over both simulated clouds while they misbehave,
// and is killed with SIGKILL at seeded random moments, then rerun. Afterwards the faults stop and
// it is rerun until `plan --detailed-exitcode` says there is nothing left to do. What it
// measures is what imagectl promises (docs/RELIABILITY.md): no duplicate, no orphan, no corrupt
// state, no secret anywhere, and convergence in one clean run. Operators' accidents (a paused
// holder whose lock is broken, a second state on the same spaces, redirects to another origin,
// a plugin that echoes its secret, deletes the clouds refuse) are part of the run: accidents.ts.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mulberry32, type Faults } from '../../src/simulators/http.js';
import { startNutanixSimulator } from '../../src/simulators/nutanix/index.js';
import { defaultNumspotSeed, startNumspotSimulator } from '../../src/simulators/numspot/index.js';
import { chaosConfig, labImageYaml, labImages, pauseBreakResume, startRecorder, writeSample } from './accidents.js';
import { checkStates, filesUnder, readSummary, reportedIds, type ChaosFigures } from './figures.js';

export { formatFigures, type ChaosFigures } from './figures.js';

export const BIN = resolve(import.meta.dirname, '../../bin/imagectl.js');

/** Every secret the run uses: none may appear in any file imagectl writes or in any output. */
export const CHAOS_SECRETS = {
  password: 'chaos-Pc-Pa55w0rd-5b1e',
  sourcePassword: 'chaos-src-basic-S3cr3t-77a0',
  clientSecret: 'chaos-ns-client-S3cr3t-c4d2',
  labToken: 'chaos-lab-t0ken-91fe',
};

/** A bad day on both clouds: every fault at once, at rates a real API has on a bad day. */
export const CHAOS_FAULTS: Faults = {
  latencyMs: 2,
  jitterMs: 15,
  errorRate: 0.05,
  throttleRate: 0.02,
  retryAfterSeconds: 1,
  dropBeforeRate: 0.02,
  dropAfterRate: 0.03,
  taskFailureRate: 0.04,
  slowTaskRate: 0.1,
  slowTaskFactor: 5,
  imageFailureRate: 0.04,
  stuckRate: 0.08,
  stuckMs: 2500,
  tokenExpiryRate: 0.02,
  // Operators' accidents the clouds produce: refused deletes and redirects to another origin
  // (redirectPort is set to the run's recorder).
  deleteRefusedRate: 0.08,
  redirectRate: 0.01,
};

/** The rate at which the lab plugin echoes its token into an image's description. */
export const ECHO_RATE = 0.1;

export interface ChaosOptions {
  dir: string;
  images: number;
  kills: number;
  seed: number;
  /** Kill after a delay drawn uniformly from [min, max] ms after the CLI starts. */
  killWindowMs: [number, number];
  faults?: Faults;
  parallelism?: number;
  log?: (line: string) => void;
  /** Operators' accidents (paused holders, a second state, an echoing plugin); on by default. */
  accidents?: boolean;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Config variants, so that later kills land in updates and deletes too, not only creates. */
function imagesYaml(n: number, variant: number, debianId: string, suffix = ''): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    // Variant 1 drops every 7th image (deletes), retitles every 3rd (updates in place) and
    // renames or re-sources every 5th (replacements, create before destroy).
    if (variant === 1 && i % 7 === 3) continue;
    const note = variant === 1 && i % 3 === 0 ? 'retitled' : 'golden';
    const v2 = variant === 1 && i % 5 === 1 ? '-v2' : '';
    if (i % 10 === 5) {
      out.push(labImageYaml(i, note, v2, suffix));
    } else if (i % 2 === 0) {
      const auth = i % 4 === 0 ? `\n      basic_auth: { username: robot, password: { env: SOURCE_PASSWORD } }` : '';
      out.push(`  nx${i}:
    provider: prod
    name: chaos-nx-${i}${suffix}
    description: ${note} ${i}
    type: DISK_IMAGE
    source:
      url: https://artifacts.example.com/chaos/disk-${i}${v2}.qcow2${auth}
`);
    } else {
      out.push(`  ns${i}:
    provider: eu
    name: chaos-ns-${i}${v2}${suffix}
    description: ${note} ${i}
    source_image_id: ${debianId}
    source_region_name: cloudgouv-eu-west-1
    tags: [{ key: team, value: ${note} }]
`);
    }
  }
  return out.join('');
}


function runCli(dir: string, env: Record<string, string>, args: string[], killAfterMs?: number): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

export async function runChaos(o: ChaosOptions): Promise<ChaosFigures> {
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  const random = mulberry32(o.seed);
  const accidents = o.accidents ?? true;
  const recorder = await startRecorder();
  const faults: Faults = { ...(o.faults ?? CHAOS_FAULTS) };
  if (!accidents) {
    delete faults.deleteRefusedRate;
    delete faults.redirectRate;
  } else if (faults.redirectRate) faults.redirectPort = recorder.port;
  mkdirSync(o.dir, { recursive: true });
  const second = join(o.dir, 'second');
  mkdirSync(second, { recursive: true });
  writeSample(o.dir);
  writeSample(second);
  const nutanix = await startNutanixSimulator({ username: 'admin', password: CHAOS_SECRETS.password, taskDurationMs: 300, faults, seed: o.seed });
  const numspot = await startNumspotSimulator({ clientSecret: CHAOS_SECRETS.clientSecret, pendingMs: 300, faults, prngSeed: o.seed + 1 });
  const debianId = defaultNumspotSeed().images.find((i) => /debian/i.test(i.name))?.id ?? defaultNumspotSeed().images[0]?.id ?? 'ami-unknown';
  const env: Record<string, string> = {
    NUTANIX_ENDPOINT: nutanix.url,
    NUTANIX_USERNAME: 'admin',
    NUTANIX_PASSWORD: CHAOS_SECRETS.password,
    SOURCE_PASSWORD: CHAOS_SECRETS.sourcePassword,
    NUMSPOT_HOST: numspot.url,
    NUMSPOT_SPACE_ID: numspot.spaceId,
    NUMSPOT_CLIENT_ID: numspot.clientId,
    NUMSPOT_CLIENT_SECRET: CHAOS_SECRETS.clientSecret,
    LAB_TOKEN: CHAOS_SECRETS.labToken,
    NO_COLOR: '1',
  };
  const outputs: string[] = [];
  const problems: string[] = [];
  let corruptStates = 0;
  let pausedHolders = 0;
  let pausedStopped = 0;
  let secondStateRuns = 0;
  const parallelism = String(o.parallelism ?? 10);
  const applyArgs = ['apply', '--auto-approve', '--parallelism', parallelism];
  const keep = (r: Run): Run => {
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const check = (when: string): void => {
    for (const p of [...checkStates(o.dir), ...checkStates(second)]) {
      corruptStates++;
      problems.push(`${when}: ${p}`);
    }
  };
  // Both states declare the same addresses; the second names its images with a suffix, as a
  // team's copy of a config pointed at the same spaces by mistake would differ only there.
  const writeConfigs = (variant: number, echoRate: number): void => {
    writeFileSync(join(o.dir, 'imagectl.yaml'), chaosConfig(imagesYaml(o.images, variant, debianId), accidents ? echoRate : 0, o.seed));
    writeFileSync(join(second, 'imagectl.yaml'), chaosConfig(imagesYaml(o.images, variant, debianId, '-b'), accidents ? echoRate : 0, o.seed + 7));
  };
  const judge = (r: Run, label: string): void => {
    if (r.signal === null && r.code !== 0 && r.code !== 1) problems.push(`${label} exited ${String(r.code)}: ${r.stderr.slice(-500)}`);
    if (/\n\s+at .+\(.*:\d+:\d+\)/.test(r.stderr)) problems.push(`${label} printed a stack trace: ${r.stderr.slice(-800)}`);
  };
  const why = (r: Run): string => r.signal === null && r.code !== 0 ? `: ${(r.stderr.split('\n').find((l) => l.startsWith('Error')) ?? '').slice(0, 160)}` : '';
  try {
    // Phase 1: faults on, SIGKILL at random moments, a config that changes under the kills.
    let runs = 0;
    let landed = 0;
    // A run may finish (or fail on a fault) before its kill: go on until o.kills kills landed.
    for (let k = 0; landed < o.kills && k < o.kills * 3; k++) {
      const variant = Math.floor((landed * 3) / o.kills) % 2; // base, changed, base again
      writeConfigs(variant, ECHO_RATE);
      const [min, max] = o.killWindowMs;
      const delay = Math.round(min + random() * (max - min));
      const kind = !accidents ? 'kill' : k % 6 === 2 ? 'pause' : k % 4 === 3 ? 'second' : 'kill';
      runs++;
      if (kind === 'pause') {
        // Paused mid-run, its lock broken by hand, another run meanwhile (killed too), resumed.
        const child = spawn(process.execPath, [BIN, ...applyArgs], { cwd: o.dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        const otherDelay = Math.round(min + random() * (max - min));
        let other: Run | undefined;
        // Later than a kill: the run must hold its lock (taken after start-up and connect) when paused.
        const paused = await pauseBreakResume(child, o.dir, delay + 1000,
          (id) => runCli(o.dir, env, ['state', 'unlock', '--force', id]).then(keep),
          async () => void (other = keep(await runCli(o.dir, env, applyArgs, otherDelay))));
        keep({ code: paused.code, signal: paused.signal, stdout: paused.stdout, stderr: paused.stderr });
        if (paused.broken) {
          pausedHolders++;
          if (paused.code === 1 && /lock/i.test(paused.stderr)) pausedStopped++;
        }
        if (other?.signal === 'SIGKILL') landed++;
        log(`run ${runs} (kill ${landed}/${o.kills}): variant ${variant}, paused after ${delay + 1000} ms${paused.broken ? ', lock broken' : ''}; meanwhile ${other?.signal ?? `exit ${String(other?.code)}`}; resumed: ${paused.signal ?? `exit ${String(paused.code)}`}`);
        judge({ ...paused }, `paused run ${runs}`);
        if (other) judge(other, `run ${runs} (meanwhile)`);
      } else {
        const cwd = kind === 'second' ? second : o.dir;
        if (kind === 'second') secondStateRuns++;
        const r = keep(await runCli(cwd, env, applyArgs, delay));
        if (r.signal === 'SIGKILL') landed++;
        log(`run ${runs} (kill ${landed}/${o.kills}): ${kind === 'second' ? 'second state, ' : ''}variant ${variant}, after ${delay} ms: ${r.signal ?? `exit ${String(r.code)} before the kill${why(r)}`}`);
        judge(r, `run ${runs}`);
      }
      check(`after run ${runs}`);
    }
    writeConfigs(0, 0);

    // Phase 2: the clouds behave again and the plugin stops leaking; rerun until the plan is empty.
    nutanix.setFaults(undefined);
    numspot.setFaults(undefined);
    let reruns = 0;
    let converged = false;
    const folders = accidents ? [o.dir, second] : [o.dir];
    while (reruns < 5 && !converged) {
      reruns++;
      converged = true;
      for (const cwd of folders) {
        const label = cwd === o.dir ? '' : ' (second state)';
        const r = keep(await runCli(cwd, env, applyArgs));
        log(`rerun ${reruns}${label} without faults: exit ${String(r.code)}`);
        if (r.code !== 0) problems.push(`rerun ${reruns}${label} exited ${String(r.code)}:\n${(r.stdout + r.stderr).split('\n').filter((l) => /Error|Warning|could not/.test(l)).slice(0, 20).join('\n')}`);
        check(`after rerun ${reruns}${label}`);
        const plan = keep(await runCli(cwd, env, ['plan', '--detailed-exitcode']));
        if (plan.code !== 0) {
          converged = false;
          log(`plan after rerun ${reruns}${label}: exit ${String(plan.code)}\n${plan.stdout.split('\n').filter((l) => /#|Plan:|Error/.test(l)).slice(0, 15).join('\n')}`);
        }
      }
    }

    // The figures.
    const states = folders.map((cwd) => readSummary(cwd));
    for (const [i, s] of states.entries()) {
      if (s.pending.length === 0) continue;
      // Say which intents and why, so a rare failure can be diagnosed from the CI log alone.
      const which = s.pending.map((p) => `${p.action} ${p.address} (${p.driver})`).join(', ');
      const last = outputs.join('\n').split('\n').filter((l) => /could not resolve|left journaled|interrupted/.test(l)).slice(-5).join(' | ');
      problems.push(`${s.pending.length} intents left pending${i === 0 ? '' : ' in the second state'}: ${which}${last ? `; last warnings: ${last}` : ''}`);
    }
    const inState = new Set(states.flatMap((s) => [...s.ids]));
    const reported = new Set<string>();
    for (const cwd of folders) for (const id of reportedIds(keep(await runCli(cwd, env, ['drift', '--unmanaged', '--format', 'json'])).stdout)) reported.add(id);
    const nx = nutanix.listImages() as { extId: string; name: string }[];
    const ns = numspot.listImages() as { id: string; name: string; tags: { key: string; value: string }[] }[];
    const lab = folders.flatMap((cwd) => labImages(cwd));
    const count = (keys: string[]): number => {
      const seen = new Map<string, number>();
      for (const key of keys) seen.set(key, (seen.get(key) ?? 0) + 1);
      return [...seen.values()].reduce((n, c) => n + (c > 1 ? c - 1 : 0), 0);
    };
    const tag = (i: { tags: { key: string; value: string }[] }, key: string): string | undefined => i.tags.find((t) => t.key === key)?.value;
    // Nutanix names are not unique, so a second image of one address shows as a repeated name;
    // Numspot names are, so a second image there would carry the same lineage and address tags.
    const duplicates = count(nx.map((i) => i.name))
      + count(ns.flatMap((i) => (tag(i, 'imagectl:address') === undefined ? [] : [`${tag(i, 'imagectl:lineage') ?? ''} ${tag(i, 'imagectl:address') ?? ''}`])))
      + count(lab.map((i) => i.name));
    // Nutanix has no tags: an image not in a state is an orphan, whatever drift says.
    const nxOrphans = nx.filter((i) => !inState.has(i.extId));
    const nsOrphans = ns.filter((i) => !inState.has(i.id) && !reported.has(i.id));
    const labOrphans = lab.filter((i) => !inState.has(i.id) && !reported.has(i.id));
    for (const i of nxOrphans) problems.push(`orphan on Nutanix: ${i.extId} ${i.name}`);
    for (const i of nsOrphans) problems.push(`orphan on Numspot: ${i.id} ${i.name}`);
    for (const i of labOrphans) problems.push(`orphan in the lab folder: ${i.id} ${i.name}`);
    const leaked = [...ns, ...lab].filter((x) => !inState.has(x.id) && reported.has(x.id));
    for (const i of leaked) problems.push(`reported as leaked (not an orphan, but not cleaned): ${i.id} ${i.name}`);
    if (recorder.received.length > 0) problems.push(`${recorder.received.length} requests followed a redirect to another origin: ${recorder.received.slice(0, 3).map((r) => `${r.method} ${r.url}`).join(', ')}`);

    let secretsFound = 0;
    const texts = [
      ...[o.dir].flatMap((d) => filesUnder(d)).map((f) => ({ where: f, text: readFileSync(f, 'latin1') })),
      ...outputs.map((text, i) => ({ where: `output ${i}`, text })),
      ...recorder.received.map((r, i) => ({ where: `redirected request ${i}`, text: JSON.stringify(r) })),
    ];
    for (const secret of Object.values(CHAOS_SECRETS)) {
      for (const t of texts) {
        if (t.text.includes(secret)) {
          secretsFound++;
          problems.push(`secret found in ${t.where}`);
        }
      }
    }
    return {
      seed: o.seed,
      images: o.images,
      kills: o.kills,
      killsLanded: landed,
      runsWithFaults: runs,
      duplicates,
      orphans: nxOrphans.length + nsOrphans.length + labOrphans.length,
      leakedReported: leaked.length,
      corruptStates,
      rerunsToConverge: reruns,
      converged,
      secretsFound,
      pausedHolders,
      pausedStopped,
      secondStateRuns,
      redirectsOffered: [...nutanix.exchanges, ...numspot.exchanges].filter((e) => e.status === 307).length,
      redirectsFollowed: recorder.received.length,
      cloudImages: nx.length + ns.length + lab.length,
      stateResources: states.reduce((n, s) => n + s.resources, 0),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      problems,
    };
  } finally {
    await Promise.all([nutanix.close(), numspot.close(), recorder.close()]);
  }
}
