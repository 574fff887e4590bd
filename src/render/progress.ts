// Apply progress as text: Terraform-style lines ("x: Creating...", "x: Creation complete after
// 3s [id=...]"). On a TTY every task percentage is shown; elsewhere progress is thinned to one
// line per image every 10 s so CI logs stay readable. NDJSON with --json.
import type { ApplyEvent, EventSink, StepKind } from '../apply/events.js';
import { makeStyle } from './glyphs.js';

const verbs: Record<StepKind, [string, string, string]> = {
  create: ['Creating...', 'Still creating...', 'Creation complete'],
  update: ['Modifying...', 'Still modifying...', 'Modifications complete'],
  delete: ['Destroying...', 'Still destroying...', 'Destruction complete'],
  delete_old: ['Destroying the replaced image...', 'Still destroying the replaced image...', 'Replaced image destroyed'],
};

const secs = (ms: number): string => `${Math.round(ms / 1000)}s`;

export function textProgress(write: (line: string) => void, opts: { colour: boolean; tty: boolean; now?: () => number }): EventSink {
  const st = makeStyle(opts.colour);
  const now = opts.now ?? Date.now;
  const started = new Map<string, number>();
  const lastShown = new Map<string, number>();
  return {
    emit(e: ApplyEvent) {
      if (e.type === 'warning') return write(st.paint('yellow', `Warning: ${e.message}`));
      if (e.type === 'recovered') return write(`${st.paint('bold', e.address)}: resolved an interrupted ${e.action}: ${e.outcome}`);
      const key = `${e.step}:${e.address}`;
      const [start, still, done] = verbs[e.step];
      const who = st.paint('bold', e.address);
      switch (e.type) {
        case 'step_start':
          started.set(key, now());
          return write(`${who}: ${start}`);
        case 'step_progress': {
          const t = now();
          const elapsed = t - (started.get(key) ?? t);
          if (!opts.tty && t - (lastShown.get(key) ?? started.get(key) ?? t) < 10_000) return;
          lastShown.set(key, t);
          const pct = e.percent === undefined ? '' : `, ${e.percent}%`;
          return write(`${who}: ${still} [${secs(elapsed)} elapsed${pct}]`);
        }
        case 'step_done':
          return write(`${who}: ${done} after ${secs(e.elapsed_ms)}${e.id ? ` [id=${e.id}]` : ''}`);
        case 'step_failed':
          return write(st.paint('red', `${e.address}: failed after ${secs(e.elapsed_ms)}: ${e.error}`));
        case 'step_skipped':
          return write(st.paint('yellow', `${e.address}: skipped (${e.because})`));
      }
    },
  };
}

export function ndjsonProgress(write: (line: string) => void, now: () => string = () => new Date().toISOString()): EventSink {
  return { emit: (e) => write(JSON.stringify({ time: now(), ...e })) };
}
