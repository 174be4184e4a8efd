import { isUnder } from './nodes';

/**
 * What an AMI row shows about an action on it, apart from the AWS data: while it runs, `busy` is the
 * temporary description shown with a spinner ("Sharing…"); after it failed, `error` is the reason (error
 * icon, first tooltip line) until the next action or a refresh.
 */
export type ImageStatus = { busy: string } | { error: string };

/** Per-image action status, keyed by the AMI's node id (`nodeIds.image(…, 'owned', …)`). No AWS data here. */
export class ImageStatusStore {
  private readonly statuses = new Map<string, ImageStatus>();

  get(id: string): ImageStatus | undefined {
    return this.statuses.get(id);
  }

  set(id: string, status: ImageStatus | undefined): void {
    if (status) this.statuses.set(id, status);
    else this.statuses.delete(id);
  }

  /**
   * A refresh forgets failures under `prefix` (everything when omitted). A busy status stays: its action is
   * still running and clears it when done, so the spinner must not vanish because the list was reloaded.
   */
  clearFailures(prefix?: string): void {
    for (const [id, status] of [...this.statuses]) {
      if ('error' in status && (prefix === undefined || isUnder(id, prefix))) this.statuses.delete(id);
    }
  }
}
