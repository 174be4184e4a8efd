/**
 * Spreads heavy synchronous work over turns of the event loop, first come first served: each turn lets
 * waiters go until their weights reach the turn's budget (always at least one). Responses that arrive
 * together (20 profile × Region listings answer within the same millisecond) would otherwise all be parsed
 * in one turn: 20 DescribeImages pages of 200 AMIs are some 300 ms of XML parsing during which the extension
 * host answers nothing. Weighed by body size, a big page gets a turn of its own while hundreds of small
 * answers still go together (one per turn would cap throughput at the turn rate).
 */
export class TurnGate {
  private readonly waiting: Array<{ weight: number; resolve: () => void }> = [];
  private scheduled = false;

  /** `defer` runs its callback on a later turn (setImmediate: after pending I/O); injectable for tests. */
  constructor(
    private readonly budgetPerTurn: number,
    private readonly defer: (callback: () => void) => void = (callback) => void setImmediate(callback),
  ) {}

  /** Resolves on a later turn, after every waiter queued before it. */
  next(weight: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push({ weight: Math.max(0, weight), resolve });
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
        spent += waiter.weight;
        waiter.resolve();
      }
      // Deferred from inside a deferred callback: setImmediate puts it on the next turn, not this one.
      this.schedule();
    });
  }
}
