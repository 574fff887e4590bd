// A faithful local Numspot compute images API on loopback: OAuth2 client credentials at
// /iam/token, and /compute/spaces/{spaceId}/{images,bulk/tags,tags,vms,snapshots}, following
// public-oas.yaml (2026-02-16), the 2026-06 docs excerpt, and where they disagree the recorded
// traffic (research/numspot.md §3, §9). Choices where the real service is undocumented:
//  - image names are unique among the space's own images: a duplicate is 409 ResourceConflict;
//  - official images are readable from every space; deleting, retagging or changing their
//    access is 403, and their names do not count for uniqueness;
//  - a failing image (failNextImages) is `pending` for pendingMs, then `failed` with
//    stateComment {stateCode, stateMessage}; stickPending holds images in `pending` until
//    unstick(), which releases them at once and cancels the rest of the count;
//  - DeleteTags without a `value` removes the key whatever its value (see tags.ts);
//  - list filters a version does not declare are ignored, not rejected (see image-list.ts).
import { mulberry32, startSimServer, type Faults, type RecordedExchange } from '../http.js';
import { MicroClock } from '../time.js';
import { expireAllTokens } from './auth.js';
import { officialImages, type ApiVersion, type SimContext } from './context.js';
import { imageWire } from './image-wire.js';
import { faultHeaders, faultProblem, forbidden } from './problems.js';
import { defaultNumspotSeed, type NumspotSeed } from './seed.js';
import { numspotHandler } from './server.js';
import { loadState, saveState } from './store.js';

export type { Faults, RecordedExchange } from '../http.js';
export { printableSeed, defaultNumspotSeed } from './seed.js';
export type { NumspotSeed, SeedImage, SeedVm, SeedSnapshot, SeedTag } from './seed.js';

export interface NumspotSimOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  spaceId?: string;
  tokenLifetimeSeconds?: number;
  latencyMs?: number;
  /** How long a from-VM image stays `pending` (default 500); copy/register are available at once. */
  pendingMs?: number;
  /** '2026-06' removes PUT /images/{id} and renames the list filter ids → imageIds. */
  apiVersion?: ApiVersion;
  statePath?: string;
  seed?: NumspotSeed;
  faults?: Faults;
  prngSeed?: number;
}

export interface NumspotSimulator {
  url: string;
  clientId: string;
  clientSecret: string;
  spaceId: string;
  seed: NumspotSeed;
  exchanges: RecordedExchange[];
  /** The space's own (non-official) images, wire form. */
  listImages(): unknown[];
  failNextImages(n: number, message?: string): void;
  stickPending(n: number): void;
  unstick(): void;
  expireTokens(): void;
  setFaults(f: Faults | undefined): void;
  close(): Promise<void>;
}

export async function startNumspotSimulator(opts: NumspotSimOptions = {}): Promise<NumspotSimulator> {
  const seed = structuredClone(opts.seed ?? defaultNumspotSeed());
  const clock = new MicroClock();
  const state = loadState(opts.statePath, seed, clock.nowUs());
  const ctx: SimContext = {
    state,
    seed,
    officials: officialImages(seed, state.seededAtUs),
    clock,
    clientId: opts.clientId ?? '6f5a1c2e-8b3d-4f7a-9c1e-2d4b6a8c0e13',
    clientSecret: opts.clientSecret ?? 'numspot-sim-secret',
    spaceId: opts.spaceId ?? 'bba8c1d7-4a6e-4f35-9c2b-7d1e0f3a5b68',
    tokenLifetimeSeconds: opts.tokenLifetimeSeconds ?? 3600,
    pendingMs: opts.pendingMs ?? 500,
    apiVersion: opts.apiVersion ?? '2026-02',
    baseUrl: '',
    persist: () => saveState(opts.statePath, ctx.state),
    faults: opts.faults,
    random: mulberry32((opts.prngSeed ?? Date.now() & 0xffffffff) ^ 0x5eed),
  };
  ctx.persist();
  const server = await startSimServer(numspotHandler(ctx), {
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.prngSeed !== undefined ? { seed: opts.prngSeed } : {}),
    ...(opts.faults !== undefined ? { faults: opts.faults } : {}),
    ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
    faultBody: faultProblem,
    faultHeaders,
    // DeleteImage answers no 409 in the spec: a refusal (a policy, a locked image) is a 403.
    refusedDelete: () => forbidden('/compute/images', 'You are not allowed to delete this image (refused by the simulator).'),
  });
  ctx.baseUrl = server.url;
  return {
    url: server.url,
    clientId: ctx.clientId,
    clientSecret: ctx.clientSecret,
    spaceId: ctx.spaceId,
    seed: structuredClone(seed),
    exchanges: server.exchanges,
    listImages: () => {
      const nowUs = ctx.clock.nowUs();
      return ctx.state.images.map((img) => imageWire(ctx, img, nowUs));
    },
    failNextImages: (n, message) => {
      ctx.state.failNext = message === undefined ? { count: n } : { count: n, message };
      ctx.persist();
    },
    stickPending: (n) => {
      ctx.state.stickNext = n;
      ctx.persist();
    },
    unstick: () => {
      const nowUs = ctx.clock.nowUs();
      for (const img of ctx.state.images) {
        if (!img.stuck) continue;
        delete img.stuck;
        img.readyAtUs = Math.min(img.readyAtUs, nowUs);
      }
      ctx.state.stickNext = 0;
      ctx.persist();
    },
    expireTokens: () => expireAllTokens(ctx),
    setFaults: (f) => {
      ctx.faults = f;
      server.setFaults(f);
    },
    close: server.close,
  };
}
