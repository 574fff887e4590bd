// Nutanix timestamps are RFC 3339 with microseconds ("2024-06-07T11:11:34.839373Z"). The clock is
// strictly increasing so two changes within one millisecond still get distinct lastUpdateTime.

export class MicroClock {
  private last = 0;

  nowUs(): number {
    // timeOrigin + now() carries sub-millisecond digits, so the microseconds are not always 000.
    const t = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    this.last = Math.max(t, this.last + 1);
    return this.last;
  }
}

export function rfc3339Micros(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = String(Math.floor(us) % 1000).padStart(3, '0');
  return new Date(ms).toISOString().replace('Z', `${micros}Z`);
}
