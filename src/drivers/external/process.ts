// One running plugin: requests out on stdin, answers and notifications in on stdout, matched by
// id; stderr kept as a short tail for error messages. Whatever goes wrong (the program cannot
// start, exits, stays silent past its timeout, or writes something that is not the protocol)
// becomes a DriverError naming the plugin, never a stack trace. Such a failure is never
// `definitive` for a call that had been sent, so the applier keeps its intent for recovery;
// after it the plugin is stopped and every later call fails at once.
import { execa } from 'execa';
import { DriverError } from '../contract.js';
import type { ErrorKind } from '../../fields/observed.js';
import type { JsonObject } from '../../util/json.js';
import { checkIncoming, checkResult } from './check.js';
import { MAX_LINE_BYTES, readLines } from './lines.js';
import { DEFAULT_TIMEOUTS, MUTATING, SHUTDOWN_GRACE_MS, type Method, type PluginSpec } from './protocol.js';
import { Scrubber, StderrTail } from './scrub.js';
import { pluginEnv } from './env.js';

export interface CallOptions {
  on_progress?: (p: { message: string; percent?: number }) => void;
  on_task?: (taskId: string) => void;
}

interface Pending {
  method: Method;
  opts: CallOptions;
  timer: NodeJS.Timeout | undefined;
  resolve: (v: unknown) => void;
  reject: (e: DriverError) => void;
}

function spawn(spec: PluginSpec) {
  const [file, ...args] = spec.command as [string, ...string[]];
  return execa(file, args, {
    cwd: spec.cwd, env: pluginEnv(spec), extendEnv: false, buffer: false, reject: false,
    stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', stripFinalNewline: false,
  });
}

const preview = (line: string): string => JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}...` : line);

export class PluginProcess {
  readonly scrubber = new Scrubber();
  private readonly tail = new StderrTail();
  private readonly pending = new Map<number, Pending>();
  private readonly child: ReturnType<typeof spawn>;
  private readonly exited: Promise<void>;
  private nextId = 1;
  private broken: string | undefined;
  private stopping = false;
  /** `plugin (node ./driver.mjs)` until the handshake, then `plugin 'NAME' (node ./driver.mjs)`. */
  name: string;

  constructor(private readonly spec: PluginSpec) {
    this.name = `plugin (${spec.label})`;
    this.child = spawn(spec);
    // Writing to a plugin that just died raises EPIPE here; its exit is what gets reported.
    this.child.stdin.on('error', () => undefined);
    const limit = `${MAX_LINE_BYTES / (1024 * 1024)} MiB`;
    readLines(this.child.stdout, MAX_LINE_BYTES, {
      line: (l) => this.onLine(l),
      tooLong: () => this.breakDown(`broke the protocol: it wrote a line longer than ${limit} on stdout`),
    });
    readLines(this.child.stderr, MAX_LINE_BYTES, { line: (l) => this.tail.push(l), tooLong: () => this.tail.push(`(a line longer than ${limit} was left out)`) });
    this.exited = this.child.then((r) => this.onExit(r.exitCode, r.signal, r.failed && r.exitCode === undefined && r.signal === undefined ? r.originalMessage : undefined));
  }

  /** The name the plugin gave in `hello`, once it has. */
  driverName: string | undefined;

  named(name: string): void {
    this.driverName = name;
    this.name = `plugin '${name}' (${this.spec.label})`;
  }

  /** One request; resolves with its result, already checked against `METHOD.schema.json#/$defs/result` (hence T). */
  call<T>(method: Method, params: JsonObject, opts: CallOptions = {}): Promise<T> {
    // Never sent, so certainly not acted on: the one case where a mutating failure is definitive.
    if (this.broken !== undefined) return Promise.reject(new DriverError('failed', `${this.name} ${this.broken}; \`${method}\` was not sent`, { definitive: true }));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const p: Pending = { method, opts, timer: undefined, resolve: (v) => resolve(v as T), reject };
      this.pending.set(id, p);
      this.arm(id, p);
      this.child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  /** `shutdown`, a grace period to exit, then SIGKILL. Safe to call more than once. */
  async stop(): Promise<void> {
    if (this.broken === undefined && !this.stopping) {
      const asked = this.call('shutdown', {}).catch(() => undefined);
      this.stopping = true;
      await Promise.race([asked.then(() => this.exited), delay(SHUTDOWN_GRACE_MS)]);
    }
    this.stopping = true;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private timeoutMs(method: Method): number {
    const seconds = this.spec.timeout_seconds ?? (MUTATING.has(method) ? DEFAULT_TIMEOUTS.write : DEFAULT_TIMEOUTS.read);
    // Starting an interpreter on a loaded CI machine is slow, and is not the plugin hanging.
    return (method === 'hello' ? Math.max(seconds, DEFAULT_TIMEOUTS.read) : seconds) * 1000;
  }

  /** (Re)starts a call's timer: any message about the call proves the plugin is still working on it. */
  private arm(id: number, p: Pending): void {
    if (p.timer) clearTimeout(p.timer);
    const ms = this.timeoutMs(p.method);
    p.timer = setTimeout(() => {
      this.pending.delete(id);
      p.reject(this.error('timeout', `did not answer \`${p.method}\` within ${ms / 1000} s and was stopped`));
      this.breakDown(`was stopped after \`${p.method}\` timed out`);
    }, ms);
    p.timer.unref();
  }

  /** The stderr tail is context for a plugin in trouble; an error it reports itself speaks for itself. */
  private error(kind: ErrorKind, what: string, opts: { definitive?: boolean; tail?: boolean } = {}): DriverError {
    const tail = opts.tail === false ? '' : this.tail.render(this.scrubber);
    return new DriverError(kind, `${this.name} ${this.scrubber.scrub(what)}${tail}`, { definitive: opts.definitive ?? false });
  }

  /** The plugin can no longer be trusted: fail everything in flight and stop it. */
  private breakDown(reason: string): void {
    if (this.broken !== undefined) return;
    this.broken = reason;
    for (const [id, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(this.error('failed', `${reason} while \`${p.method}\` was running`));
    }
    this.child.kill('SIGKILL');
  }

  private onLine(line: string): void {
    if (line.trim() === '' || this.broken !== undefined) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return this.breakDown(`broke the protocol: it wrote a line that is not JSON on stdout (${preview(line)}; logs belong on stderr)`);
    }
    const checked = checkIncoming(value);
    if (!checked.ok) return this.breakDown(`broke the protocol: ${checked.problem} in ${preview(line)}`);
    const m = checked.message;
    const p = this.pending.get(m.id);
    if (!p) return this.breakDown(`broke the protocol: it answered request ${m.id}, which is not waiting for an answer`);
    if ('progress' in m) {
      this.arm(m.id, p);
      const progress: { message: string; percent?: number } = { message: this.scrubber.scrub(m.progress.message) };
      if (m.progress.percent !== undefined) progress.percent = m.progress.percent;
      return p.opts.on_progress?.(progress);
    }
    if ('task' in m) {
      this.arm(m.id, p);
      return p.opts.on_task?.(m.task);
    }
    this.pending.delete(m.id);
    if (p.timer) clearTimeout(p.timer);
    if ('error' in m) return p.reject(this.error(m.error.kind, `failed \`${p.method}\`: ${m.error.message}`, { definitive: m.error.definitive === true, tail: false }));
    const problem = checkResult(p.method, m.result);
    if (problem !== undefined) return p.reject(this.error('failed', `answered \`${p.method}\` with a result that breaks the protocol: ${problem}`));
    p.resolve(m.result);
  }

  private onExit(code: number | undefined, signal: string | undefined, startError: string | undefined): void {
    let reason: string;
    if (startError !== undefined) reason = `could not be started: ${startError.split('\n')[0] ?? startError}`;
    else if (this.stopping || this.broken !== undefined) reason = 'was stopped';
    else reason = signal ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`;
    this.breakDown(reason);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
