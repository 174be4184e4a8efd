import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TurnGate } from '../../src/core/turnGate';

/** Turns of the event loop, run when the test says so. */
function fakeTurns(): { defer(callback: () => void): void; turn(): Promise<void>; readonly pending: number } {
  let queue: Array<() => void> = [];
  return {
    defer: (callback) => void queue.push(callback),
    async turn() {
      const now = queue;
      queue = [];
      for (const callback of now) callback();
      // Let the released waiters' continuations run, as microtasks do at the end of a turn.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
    get pending() {
      return queue.length;
    },
  };
}

test('a turn lets waiters go in order until their weights fill its budget; a heavy one goes alone', async () => {
  const turns = fakeTurns();
  const gate = new TurnGate(100, turns.defer);
  const released: string[] = [];
  const wait = (name: string, weight: number) => gate.next(weight).then(() => released.push(name));
  void wait('small-1', 30);
  void wait('small-2', 30);
  void wait('small-3', 30);
  void wait('heavy', 500);
  void wait('small-4', 10);
  await Promise.resolve();
  assert.deepEqual(released, [], 'nothing goes before a turn');
  await turns.turn();
  assert.deepEqual(released, ['small-1', 'small-2', 'small-3']);
  await turns.turn();
  assert.deepEqual(released, ['small-1', 'small-2', 'small-3', 'heavy'], 'over the budget on its own: it still goes, alone');
  await turns.turn();
  assert.deepEqual(released, ['small-1', 'small-2', 'small-3', 'heavy', 'small-4']);
  assert.equal(gate.queued, 0);
  assert.equal(turns.pending, 0, 'an empty gate schedules no more turns');
});

test('a waiter that arrives while a turn is scheduled waits for it; one arriving later gets a turn of its own', async () => {
  const turns = fakeTurns();
  const gate = new TurnGate(100, turns.defer);
  const released: string[] = [];
  void gate.next(10).then(() => released.push('a'));
  void gate.next(10).then(() => released.push('b'));
  assert.equal(turns.pending, 1, 'one turn scheduled for both');
  await turns.turn();
  assert.deepEqual(released, ['a', 'b']);
  void gate.next(10).then(() => released.push('c'));
  assert.equal(turns.pending, 1);
  await turns.turn();
  assert.deepEqual(released, ['a', 'b', 'c']);
});

test("a user's waiter goes ahead of every background one, FIFO among each", async () => {
  const turns = fakeTurns();
  const gate = new TurnGate(100, turns.defer);
  const released: string[] = [];
  const wait = (name: string, weight: number, priority: 'user' | 'background') => gate.next(weight, priority).then(() => released.push(name));
  void wait('count-1', 60, 'background');
  void wait('count-2', 60, 'background');
  void wait('page-1', 60, 'user');
  void wait('count-3', 30, 'background');
  void wait('page-2', 30, 'user');
  await turns.turn();
  assert.deepEqual(released, ['page-1', 'page-2']);
  await turns.turn();
  assert.deepEqual(released, ['page-1', 'page-2', 'count-1']);
  await turns.turn();
  assert.deepEqual(released, ['page-1', 'page-2', 'count-1', 'count-2', 'count-3']);
  assert.equal(gate.queued, 0);
});
