// GET /vms and /vms/{id}: the seeded VMs, read-only, so configurations can look a builder VM up
// by tag. Fields the seed does not give are filled with stable, plausible values derived from
// the id (the Vm schema requires none of them, but drivers and users expect a realistic shape).
import type { SimRequest, SimResponse } from '../messages.js';
import { rfc3339Micros } from '../time.js';
import { REGION, type SimContext } from './context.js';
import { derivedId } from './ids.js';
import { badRequest, notFound } from './problems.js';
import { compileFilters, tagFilters, type FilterTable } from './query.js';
import type { SeedTag, SeedVm } from './seed.js';

interface VmView extends SeedVm {
  tagList: SeedTag[];
}

const STATE_CODES: Record<SeedVm['state'], number> = { running: 16, stopped: 80 };

function views(ctx: SimContext): VmView[] {
  return ctx.seed.vms.map((v) => ({ ...v, tagList: ctx.state.tags[v.id] ?? [] }));
}

export function findVm(ctx: SimContext, id: string): SeedVm | undefined {
  return ctx.seed.vms.find((v) => v.id === id);
}

function octet(id: string): number {
  return parseInt(derivedId('x', id).slice(2, 4), 16) % 250 + 4;
}

function vmWire(ctx: SimContext, v: VmView): Record<string, unknown> {
  const created = rfc3339Micros(ctx.state.seededAtUs);
  const ip = `10.0.1.${octet(v.id)}`;
  return {
    architecture: 'x86_64',
    blockDeviceMappings: [{ bsu: { deleteOnVmDeletion: true, linkDate: created, state: 'attached', volumeId: derivedId('vol', v.id) }, deviceName: '/dev/sda1' }],
    creationDate: created,
    deletionProtection: false,
    hypervisor: 'xen',
    id: v.id,
    imageId: ctx.officials[0]?.id ?? 'ami-00000000',
    initiatedShutdownBehavior: 'stop',
    isSourceDestChecked: true,
    launchNumber: 0,
    nestedVirtualization: false,
    nics: [],
    performance: 'high',
    placement: { availabilityZoneName: `${REGION}a`, tenancy: 'default' },
    privateDnsName: `ip-${ip.replace(/\./g, '-')}.${REGION}.compute.internal`,
    privateIp: ip,
    productCodes: ['0001'],
    reservationId: derivedId('r', v.id),
    rootDeviceName: '/dev/sda1',
    rootDeviceType: 'bsu',
    securityGroups: [],
    state: v.state,
    stateReason: '',
    subnetId: derivedId('subnet', 'space'),
    tags: v.tagList.map((t) => ({ key: t.key, value: t.value })),
    type: 'ns-cus6-2c4r',
    vpcId: derivedId('vpc', 'space'),
  };
}

const FILTERS: FilterTable<VmView> = {
  ids: { kind: 'strings', values: (v) => [v.id] },
  vmStateNames: { kind: 'strings', values: (v) => [v.state] },
  vmStateCodes: { kind: 'ints', values: (v) => [STATE_CODES[v.state]] },
  architectures: { kind: 'strings', values: () => ['x86_64'] },
  types: { kind: 'strings', values: () => ['ns-cus6-2c4r'] },
  ...tagFilters((v) => v.tagList),
};

export function listVms(req: SimRequest, ctx: SimContext): SimResponse {
  const match = compileFilters(req, FILTERS);
  if (Array.isArray(match)) return badRequest(req.path, match);
  return { status: 200, body: { items: views(ctx).filter(match).map((v) => vmWire(ctx, v)) } };
}

export function getVm(req: SimRequest, ctx: SimContext, id: string): SimResponse {
  // The spec pins the path parameter to ^i-.
  if (!id.startsWith('i-')) return badRequest(req.path, [{ field: 'id', description: "id must start with 'i-'" }]);
  const v = views(ctx).find((x) => x.id === id);
  return v ? { status: 200, body: vmWire(ctx, v) } : notFound(req.path, `The VM '${id}' does not exist.`);
}
