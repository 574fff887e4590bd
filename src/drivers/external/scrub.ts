// Secrets cross the pipe only towards the plugin. Whatever comes back for people to read (error
// messages, progress, the tail of its stderr shown when it fails) is scrubbed of every secret
// value the host has sent it, because those texts end up in CI logs.

import { Redactor } from '../../util/redact.js';

const MASK = '(sensitive)';
const TAIL_LINES = 20;
const MAX_LINE = 500;

export class Scrubber {
  private readonly secrets = new Set<string>();
  private redactor: Redactor | undefined;

  add(value: unknown): void {
    if (typeof value !== 'string' || value === '' || this.secrets.has(value)) return;
    this.secrets.add(value);
    this.redactor = undefined;
  }

  /** The shared redactor (util/redact.ts): every encoding of every secret is masked. */
  scrub(text: string): string {
    return this.current().redact(text);
  }

  /** Whether a value the plugin sent back holds one of the secrets it was given. */
  holdsSecret(text: string): boolean {
    return this.current().contains(text);
  }

  private current(): Redactor {
    this.redactor ??= new Redactor(this.secrets, MASK);
    return this.redactor;
  }
}

/** The last lines the plugin wrote on stderr: context for an error, never printed otherwise. */
export class StderrTail {
  private readonly lines: string[] = [];

  push(line: string): void {
    this.lines.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}...` : line);
    if (this.lines.length > TAIL_LINES) this.lines.shift();
  }

  /** An indented block to append to a message, or '' when the plugin said nothing. */
  render(scrubber: Scrubber): string {
    const lines = this.lines.filter((l) => l.trim() !== '');
    if (lines.length === 0) return '';
    return `\n  last lines of its stderr:\n${lines.map((l) => `    | ${scrubber.scrub(l)}`).join('\n')}`;
  }
}
