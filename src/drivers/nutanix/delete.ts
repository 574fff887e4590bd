// delete: DELETE with a request id derived from the idempotency key → journal the task id →
// wait for the task. `404 VMM-20005` means already gone, which counts as deleted.
import type { OpContext } from '../contract.js';
import type { OpsDeps } from './deps.js';
import { requestId } from './request-id.js';
import { waitFor } from './wait.js';

export async function deleteImage(deps: OpsDeps, id: string, ctx: OpContext): Promise<void> {
  const res = await deps.client.deleteImage(id, requestId(ctx.idempotency_key, 'delete'), ctx.signal);
  if (res.status === 'gone') return;
  ctx.on_task?.(res.taskId);
  await waitFor(deps, res.taskId, 'delete', ctx);
}
