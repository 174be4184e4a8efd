import type { Priority } from './rateLimiter';

/** Turns a waiter may be passed over by lighter ones behind it before nothing newer passes it. */
export const MAX_TURNS_PASSED = 2;
/** Waiters a turn looks past for lighter ones: thousands queue in a big listing, and a turn must stay cheap. */
const MOST_PASSED_PER_TURN = 32;

/**
 * Spreads heavy synchronous work over turns of the event loop, first come first served: each turn lets
 * waiters go until their weights reach the turn's budget (always at least one). Responses that arrive
 * together (20 profile × Region listings answer within the same millisecond) would otherwise all be parsed
 * in one turn: 20 DescribeImages pages of 200 AMIs are some 300 ms of XML parsing during which the extension
 * host answers nothing. Weighed by body size, a big page gets a turn of its own while hundreds of small
 * answers still go together (one per turn would cap throughput at the turn rate).
 *
 * A light waiter that still fits may go past a heavy one that does not, within its priority: a bulk change's
 * first launch-permission answers (0.5 KB, read right behind its DescribeImages) otherwise waited behind
 * every DescribeImages chunk (5 turns of 30–115 KB each, 80 ms in all), and so did its first write. A heavy
 * waiter is passed over in at most MAX_TURNS_PASSED turns; it then goes first, alone if need be.
 */
export class TurnGate {
  private readonly waiting: Waiter[] = [];
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
      const waiter: Waiter = { weight: Math.max(0, weight), priority, resolve, passed: 0 };
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
      this.releaseOneTurn();
      // Deferred from inside a deferred callback: setImmediate puts it on the next turn, not this one.
      this.schedule();
    });
  }

  private releaseOneTurn(): void {
    let spent = 0;
    let released = 0;
    let userPassed = false;
    const passed: Waiter[] = [];
    for (let index = 0; index < this.waiting.length; ) {
      const waiter = this.waiting[index]!;
      // Background work never goes past a user's waiter.
      if (waiter.priority === 'background' && userPassed) break;
      const fits = spent + waiter.weight <= this.budgetPerTurn;
      const overdue = waiter.passed >= MAX_TURNS_PASSED;
      if (fits || (overdue && released === 0)) {
        this.waiting.splice(index, 1);
        this.release(waiter);
        spent += waiter.weight;
        released += 1;
        continue;
      }
      // Overdue and not first: nothing newer goes past it this turn either.
      if (overdue) break;
      passed.push(waiter);
      if (waiter.priority === 'user') userPassed = true;
      if (passed.length === MOST_PASSED_PER_TURN) break;
      index += 1;
    }
    if (released === 0) {
      // Nothing fits: the first goes alone.
      this.release(this.waiting.shift()!);
      return;
    }
    for (const waiter of passed) waiter.passed += 1;
  }

  private release(waiter: Waiter): void {
    if (waiter.priority === 'background') this.queuedBackground -= 1;
    waiter.resolve();
  }
}

interface Waiter {
  weight: number;
  priority: Priority;
  resolve: () => void;
  /** Turns in which lighter waiters behind it went and it did not. */
  passed: number;
}
