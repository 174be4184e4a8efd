import type { ChangeRequest } from '../core/changes';
import type { ChangeOutcome } from './changeTypes';
import type { PipelineHost } from './host';
import { undoOptions } from './outcome';
import { runChange } from './pipeline';

export { undoRequests } from './outcome';

/** Undo goes through the same pipeline: re-adding public access or removing anything asks first. */
export function runUndo(services: PipelineHost, requests: ChangeRequest[], interactive: boolean): Promise<ChangeOutcome | undefined> {
  return runChange(services, requests, undoOptions(interactive));
}
