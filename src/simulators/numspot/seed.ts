// What the space holds before anyone creates an image: official images (read-only, visible from
// every space), VMs and snapshots to create images from. The seed is configuration, not state: it
// is not written to `statePath`, so editing seed.json changes what a restarted simulator offers.
import defaultSeed from './seed.json' with { type: 'json' };

export interface SeedTag {
  key: string;
  value: string;
}

export interface SeedBlockDeviceMapping {
  deviceName: string;
  virtualDeviceName?: string;
  bsu?: { deleteOnVmDeletion?: boolean; iops?: number; snapshotId?: string; volumeSize?: number; volumeType?: string };
}

/** An official image. Omitted fields get the values official images show on the wire. */
export interface SeedImage {
  id: string;
  name: string;
  description?: string;
  architecture?: 'x86_64' | 'i386';
  /** RFC 3339; defaults to when the state was first created. */
  creationDate?: string;
  productCodes?: string[];
  isPublic?: boolean;
  rootDeviceName?: string;
  blockDeviceMappings?: SeedBlockDeviceMapping[];
  tags?: SeedTag[];
}

export interface SeedVm {
  id: string;
  state: 'running' | 'stopped';
  tags: SeedTag[];
  /** GiB of the root volume, hence of the snapshot an image made from this VM gets (default 10). */
  rootSnapshotSize?: number;
}

export interface SeedSnapshot {
  id: string;
  description: string;
  volumeSize: number;
  tags: SeedTag[];
}

export interface NumspotSeed {
  images: SeedImage[];
  vms: SeedVm[];
  snapshots: SeedSnapshot[];
}

/** A deep copy each time, so a caller that edits its seed cannot reach into a running simulator. */
export function defaultNumspotSeed(): NumspotSeed {
  return structuredClone(defaultSeed as NumspotSeed);
}

const tagText = (tags: readonly SeedTag[] | undefined): string => (tags?.length ? '  ' + tags.map((t) => `${t.key}=${t.value}`).join(', ') : '');

/** One line per seeded resource, for `imagectl simulate` to show what can be referenced. */
export function printableSeed(seed: NumspotSeed): string[] {
  const lines: string[] = [];
  for (const i of seed.images) {
    const codes = (i.productCodes ?? ['0001']).join(', ');
    const access = i.isPublic === false ? 'private' : 'public';
    lines.push(`official image ${i.id}  ${i.name}  (${i.architecture ?? 'x86_64'}, product codes ${codes}, ${access})${tagText(i.tags)}`);
  }
  for (const v of seed.vms) lines.push(`vm ${v.id}  ${v.state}  root ${v.rootSnapshotSize ?? 10} GiB${tagText(v.tags)}`);
  for (const s of seed.snapshots) lines.push(`snapshot ${s.id}  ${s.volumeSize} GiB  "${s.description}"${tagText(s.tags)}`);
  return lines;
}
