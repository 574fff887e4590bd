// Running the built CLI the way users do (a fresh `node bin/imagectl.js` process) and measuring
// it: wall time from the parent, peak RSS and CPU time from GNU time (`/usr/bin/time -v`) when the
// machine has it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = `${ROOT}bin/imagectl.js`;
const GNU_TIME = '/usr/bin/time';
const hasTime = existsSync(GNU_TIME);

function parseTime(stderr) {
  const num = (re) => {
    const m = re.exec(stderr);
    return m ? Number(m[1]) : undefined;
  };
  const rssKb = num(/Maximum resident set size \(kbytes\): (\d+)/);
  const user = num(/User time \(seconds\): ([\d.]+)/);
  const sys = num(/System time \(seconds\): ([\d.]+)/);
  return {
    rssMb: rssKb === undefined ? undefined : rssKb / 1024,
    cpuMs: user === undefined || sys === undefined ? undefined : (user + sys) * 1000,
  };
}

/** Runs `node <args>` and resolves with exit code, wall ms, peak RSS MB, CPU ms and the output. */
export function runNode(args, { cwd = ROOT, env = {} } = {}) {
  const cmd = hasTime ? GNU_TIME : process.execPath;
  const argv = hasTime ? ['-v', process.execPath, ...args] : args;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const cut = hasTime ? stderr.lastIndexOf('\tCommand being timed:') : -1;
      const measured = cut >= 0 ? parseTime(stderr.slice(cut)) : {};
      resolve({ code, wallMs, stdout, stderr: cut >= 0 ? stderr.slice(0, cut) : stderr, ...measured });
    });
  });
}

export function runCli(args, opts) {
  return runNode([CLI, ...args], opts);
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
