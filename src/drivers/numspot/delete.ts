// delete: DELETE /images/{id} → 204. A 404 is success (already gone). 409 ResourceConflict and
// 424 DependencyProblem are what the API answers while something still holds the image; they are
// retried with backoff for a while, as the Terraform provider does for five minutes. Unlike the
// provider, a 403 is never success: it is an auth error and the image stays in state.
import { DriverError, type OpContext } from '../contract.js';
import { sleep } from '../http/index.js';
import type { OpsDeps } from './deps.js';
import { describeNumspotError } from './errors.js';

export async function deleteImage(deps: OpsDeps, id: string, ctx: Pick<OpContext, 'signal'>): Promise<void> {
  const deadline = deps.now() + deps.conflictRetryMs;
  for (let attempt = 0; ; attempt++) {
    const res = await deps.client.deleteImage(id, ctx.signal);
    if (res === 'deleted' || res === 'gone') return;
    const left = deadline - deps.now();
    if (left <= 0) {
      const detail = describeNumspotError(res.body);
      throw new DriverError('conflict', `DELETE ${deps.client.imagePath(id)}: HTTP ${res.status}${detail ? `: ${detail}` : ''} (still refused after ${Math.round(deps.conflictRetryMs / 1000)} s; is the image in use?)`, {
        definitive: true,
        status: res.status,
      });
    }
    // A refusal, not a read: back off exponentially (0.25, 0.5, 1… s up to the poll cap).
    await sleep(Math.min(left, deps.poll.maxMs, deps.poll.minMs * 2 ** attempt), ctx.signal);
  }
}
