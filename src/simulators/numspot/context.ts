// What every handler needs: the state, the seed, the clock, the settings, and a way to persist.
import type { Faults } from '../http.js';
import { MicroClock } from '../time.js';
import type { NumspotSeed, SeedTag } from './seed.js';
import type { SimState, StoredImage, WireBdm } from './store.js';

export type ApiVersion = '2026-02' | '2026-06';

/** The region the simulated space lives in (the recording's); copies may also name eu-west-2. */
export const REGION = 'cloudgouv-eu-west-1';
export const REGIONS = ['cloudgouv-eu-west-1', 'eu-west-2'] as const;

export interface SimContext {
  state: SimState;
  seed: NumspotSeed;
  /** The seed's official images in stored form, read-only. */
  officials: StoredImage[];
  clock: MicroClock;
  clientId: string;
  clientSecret: string;
  spaceId: string;
  tokenLifetimeSeconds: number;
  pendingMs: number;
  apiVersion: ApiVersion;
  /** http://127.0.0.1:PORT, known once the server listens. */
  baseUrl: string;
  persist(): void;
  /** The run's faults (set per run, changeable); only the image and token ones are read here. */
  faults?: Faults | undefined;
  /** Seeded stream for those faults, so a chaos run can be replayed. */
  random?: () => number;
}

export function parseRfc3339Us(s: string | undefined, fallbackUs: number): number {
  if (s === undefined) return fallbackUs;
  const m = /^(.*?)(?:\.(\d{1,6})\d*)?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  const ms = Date.parse(m ? `${m[1]}${m[3]}` : s);
  if (Number.isNaN(ms)) return fallbackUs;
  return ms * 1000 + (m?.[2] ? Number(m[2].padEnd(6, '0')) : 0);
}

function officialBdms(id: string, given: NumspotSeed['images'][number]['blockDeviceMappings']): WireBdm[] {
  if (!given?.length) {
    const snap = `snap-${id.replace(/^ami-/, '').split('').reverse().join('')}`;
    return [{ bsu: { deleteOnVmDeletion: true, snapshotId: snap, volumeSize: 10, volumeType: 'standard' }, deviceName: '/dev/sda1' }];
  }
  return given.map((b) => {
    const out: WireBdm = { deviceName: b.deviceName };
    if (b.bsu) {
      out.bsu = { deleteOnVmDeletion: b.bsu.deleteOnVmDeletion ?? true, volumeSize: b.bsu.volumeSize ?? 10, volumeType: b.bsu.volumeType ?? 'standard' };
      if (b.bsu.iops !== undefined) out.bsu.iops = b.bsu.iops;
      if (b.bsu.snapshotId !== undefined) out.bsu.snapshotId = b.bsu.snapshotId;
    }
    if (b.virtualDeviceName !== undefined) out.virtualDeviceName = b.virtualDeviceName;
    return out;
  });
}

export function officialImages(seed: NumspotSeed, seededAtUs: number): StoredImage[] {
  return seed.images.map((i) => {
    const createdUs = parseRfc3339Us(i.creationDate, seededAtUs);
    return {
      id: i.id,
      name: i.name,
      description: i.description ?? '',
      architecture: i.architecture ?? 'x86_64',
      rootDeviceName: i.rootDeviceName ?? '/dev/sda1',
      blockDeviceMappings: officialBdms(i.id, i.blockDeviceMappings),
      productCodes: i.productCodes?.length ? [...i.productCodes] : ['0001'],
      isPublic: i.isPublic ?? true,
      official: true,
      createdUs,
      readyAtUs: createdUs,
      outcome: 'available',
    };
  });
}

/** Tags of a resource; official images carry their seeded tags, which the space cannot change. */
export function tagsOf(ctx: SimContext, resourceId: string): SeedTag[] {
  const own = ctx.state.tags[resourceId];
  if (own) return own;
  return ctx.seed.images.find((i) => i.id === resourceId)?.tags ?? [];
}
