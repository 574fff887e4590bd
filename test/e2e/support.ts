// Helpers for end-to-end tests: run the BUILT CLI (dist/, made by `npm test` before tap) as a
// child process against a Nutanix simulator served by the test process, so a test can look at
// and tamper with the "cloud" directly.
import { execa } from 'execa';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startNutanixSimulator, type NutanixSimulator, type NutanixSimOptions } from '../../src/simulators/nutanix/index.js';
import { startNumspotSimulator, type NumspotSimulator, type NumspotSimOptions } from '../../src/simulators/numspot/index.js';

export const BIN = resolve(import.meta.dirname, '../../bin/imagectl.js');

export const SECRETS = {
  password: 'Pc-Adm1n-Pa55-e2e-7781',
  sourcePassword: 'src-basic-auth-S3cr3t-4412',
  clientSecret: 'ns-client-S3cret-e2e-9931',
};

export interface CliEnv {
  NUTANIX_ENDPOINT: string;
  NUTANIX_USERNAME: string;
  NUTANIX_PASSWORD: string;
  SOURCE_PASSWORD: string;
  NUMSPOT_HOST: string;
  NUMSPOT_SPACE_ID: string;
  NUMSPOT_CLIENT_ID: string;
  NUMSPOT_CLIENT_SECRET: string;
  NO_COLOR: string;
  [key: string]: string;
}

export interface Cli {
  dir: string;
  sim: NutanixSimulator;
  numspot: NumspotSimulator;
  env: CliEnv;
  run(args: string[], opts?: { input?: string }): Promise<{ code: number; stdout: string; stderr: string }>;
  start(args: string[]): ReturnType<typeof spawnCli>;
  write(yaml: string): void;
  state(): { resources: Record<string, { id: string; inputs: Record<string, unknown> }>; pending: Record<string, unknown>; serial: number };
  close(): Promise<void>;
}

function spawnCli(dir: string, env: Record<string, string>, args: string[]) {
  return execa('node', [BIN, ...args], { cwd: dir, env, reject: false, extendEnv: true, stdin: 'ignore' });
}

export async function cli(dir: string, simOpts: NutanixSimOptions = {}, nsOpts: NumspotSimOptions = {}): Promise<Cli> {
  const sim = await startNutanixSimulator({ username: 'admin', password: SECRETS.password, taskDurationMs: 150, ...simOpts });
  const numspot = await startNumspotSimulator({ clientSecret: SECRETS.clientSecret, pendingMs: 300, ...nsOpts });
  const env: CliEnv = {
    NUTANIX_ENDPOINT: sim.url,
    NUTANIX_USERNAME: 'admin',
    NUTANIX_PASSWORD: SECRETS.password,
    SOURCE_PASSWORD: SECRETS.sourcePassword,
    NUMSPOT_HOST: numspot.url,
    NUMSPOT_SPACE_ID: numspot.spaceId,
    NUMSPOT_CLIENT_ID: numspot.clientId,
    NUMSPOT_CLIENT_SECRET: SECRETS.clientSecret,
    NO_COLOR: '1',
  };
  const opts = (input?: string) => ({ cwd: dir, env, reject: false, extendEnv: true, ...(input === undefined ? { stdin: 'ignore' as const } : { input }) });
  return {
    dir,
    sim,
    numspot,
    env,
    async run(args, o = {}) {
      const r = await execa('node', [BIN, ...args], opts(o.input));
      return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
    },
    start: (args) => spawnCli(dir, env, args),
    write: (yaml) => writeFileSync(join(dir, 'imagectl.yaml'), yaml),
    state: () => JSON.parse(readFileSync(join(dir, '.imagectl', 'state.json'), 'utf8')),
    close: async () => {
      await Promise.all([sim.close(), numspot.close()]);
    },
  };
}

/** A config for the test simulator; `images` is the YAML of the images map, indented by 2. */
/** The two providers every e2e config has, read from the environment `cli()` sets. */
export const PROVIDERS_YAML = `  prod:
    driver: nutanix
    endpoint: { env: NUTANIX_ENDPOINT }
    username: { env: NUTANIX_USERNAME }
    password: { env: NUTANIX_PASSWORD }
  eu:
    driver: numspot
    host: { env: NUMSPOT_HOST }
    space_id: { env: NUMSPOT_SPACE_ID }
    client_id: { env: NUMSPOT_CLIENT_ID }
    client_secret: { env: NUMSPOT_CLIENT_SECRET }
`;

export function config(images: string): string {
  return `version: 1
providers:
${PROVIDERS_YAML}images:
${images}`;
}

/** Every file under `dir`, recursively, as text. */
export function allFiles(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push({ path: p, text: readFileSync(p, 'latin1') });
    }
  };
  mkdirSync(dir, { recursive: true });
  walk(dir);
  return out;
}
