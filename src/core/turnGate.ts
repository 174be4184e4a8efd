import type { Priority } from './rateLimiter';

/**
 * Spreads heavy synchronous work over turns of the event loop, first come first served: each turn lets
 * waiters go until their weights reach the turn's budget (always at least one). Responses that arrive
 * together (20 profile × Region listings answer within the same millisecond) would otherwise all be parsed
 * in one turn: 20 DescribeImages pages of 200 AMIs are some 300 ms of XML parsing during which the extension
 * host answers nothing. Weighed by body size, a big page gets a turn of its own while hundreds of small
 * answers still go together (one per turn would cap throughput at the turn rate).
 */
export class TurnGate {
  private readonly waiting: Array<{ weight: number; priority: Priority; resolve: () => void }> = [];
  private scheduled = false;
  private queuedBackground = 0;

  /** `defer` runs its callback on a later turn (setImmediate: after pending I/O); injectable for tests. */
  constructor(
    private readonly budgetPerTurn: number,
    private readonly defer: (callback: () => void) => void = (callback) => void setImmediate(callback),
  ) {}

  /**
   * Resolves on a later turn, after every waiter queued before it; a user's waiter goes ahead of every
   * background one (FIFO among each). Without that a listing's next DescribeImages page waited behind
   * thousands of share-count answers: the 5×4×500 listing took twice as long to complete (measured).
   */
  next(weight: number, priority: Priority = 'user'): Promise<void> {
    return new Promise<void>((resolve) => {
      const waiter = { weight: Math.max(0, weight), priority, resolve };
      const firstBackground = priority === 'user' && this.queuedBackground > 0 ? this.waiting.findIndex((w) => w.priority === 'background') : -1;
      if (firstBackground >= 0) this.waiting.splice(firstBackground, 0, waiter);
      else this.waiting.push(waiter);
      if (priority === 'background') this.queuedBackground += 1;
      this.schedule();
    });
  }

  get queued(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    this.defer(() => {
      this.scheduled = false;
      let spent = 0;
      for (let first = true; this.waiting.length > 0; first = false) {
        const waiter = this.waiting[0]!;
        if (!first && spent + waiter.weight > this.budgetPerTurn) break;
        this.waiting.shift();
        if (waiter.priority === 'background') this.queuedBackground -= 1;
        spent += waiter.weight;
        waiter.resolve();
      }
      // Deferred from inside a deferred callback: setImmediate puts it on the next turn, not this one.
      this.schedule();
    });
  }
}
