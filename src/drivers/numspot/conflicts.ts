// Images found by name: explaining a 409 on create, and finding the image of a POST whose answer
// was lost. Names are unique per space, so a name says a lot; who owns the image says the rest.
import { DriverError, type OpContext } from '../contract.js';
import type { HttpResponse } from '../http/index.js';
import type { OpsDeps } from './deps.js';
import { describeNumspotError } from './errors.js';
import { ownerOf, wireTags } from './tags.js';
import type { WireImage } from './wire.js';

/** How far a server clock may be behind ours when judging "created after our POST". */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** The space's images with exactly this name (the filter is a hint; the match is checked here). */
export async function imagesNamed(deps: OpsDeps, name: string, signal?: AbortSignal): Promise<WireImage[]> {
  const images = await deps.client.listImages({ imageNames: [name], imageType: 'private' }, signal);
  return images.filter((i) => i.name === name && typeof i.id === 'string');
}

function ownership(image: WireImage, ctx: Pick<OpContext, 'address' | 'lineage'>): string {
  const owner = ownerOf(wireTags(image.tags));
  if (!owner) return 'it has no imagectl ownership tags (not managed by imagectl): import it with `imagectl import ADDRESS ID`, delete it, or choose another name';
  if (owner.address !== ctx.address) return `it carries imagectl ownership tags of another image (${owner.address ?? 'no address'}): choose another name`;
  const whose = owner.lineage === ctx.lineage ? 'this state' : `another state (lineage ${owner.lineage ?? 'unknown'})`;
  return `it carries imagectl's ownership tags for ${ctx.address} from ${whose}, so an earlier run created it: adopt it with \`imagectl import ${ctx.address} ${String(image.id)}\`, or delete it and apply again`;
}

/** A definitive conflict error for a 409 on POST /images, saying who holds the name. */
export async function describeConflict(deps: OpsDeps, name: string, ctx: OpContext, res: HttpResponse): Promise<DriverError> {
  const detail = describeNumspotError(res.body);
  const head = `POST ${deps.client.imagesPath}: HTTP 409${detail ? `: ${detail}` : ''}`;
  let holders: WireImage[] = [];
  try {
    holders = await imagesNamed(deps, name, ctx.signal);
  } catch {
    // The explanation is a courtesy; the 409 itself is the answer.
  }
  const [holder] = holders;
  const message = holder
    ? `an image named "${name}" already exists in this space (${String(holder.id)}, state ${holder.state ?? 'unknown'}); ${ownership(holder, ctx)} [${head}]`
    : head;
  return new DriverError('conflict', message, { definitive: true, status: 409 });
}

/**
 * After an ambiguous POST: the image the server may have made, if it is plainly ours. It has
 * our name, no other owner's tags, and was created after the POST was sent.
 */
export async function findLostCreate(deps: OpsDeps, name: string, sentAt: number, ctx: OpContext): Promise<WireImage | undefined> {
  let found: WireImage[];
  try {
    found = await imagesNamed(deps, name, ctx.signal);
  } catch {
    return undefined;
  }
  const ours = found.filter((i) => {
    const owner = ownerOf(wireTags(i.tags));
    const mine = owner === undefined || (owner.address === ctx.address && owner.lineage === ctx.lineage);
    const created = typeof i.creationDate === 'string' ? Date.parse(i.creationDate) : Number.NaN;
    return mine && Number.isFinite(created) && created >= sentAt - CLOCK_SKEW_MS;
  });
  return ours.length === 1 ? ours[0] : undefined;
}
