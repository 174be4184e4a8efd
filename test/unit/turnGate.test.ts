import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TURNS_PASSED, TurnGate } from '../../src/core/turnGate';

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
  void wait('heavy-2', 500);
  await Promise.resolve();
  assert.deepEqual(released, [], 'nothing goes before a turn');
  await turns.turn();
  assert.deepEqual(released, ['small-1', 'small-2', 'small-3']);
  await turns.turn();
  assert.deepEqual(released, ['small-1', 'small-2', 'small-3', 'heavy'], 'over the budget on its own: it still goes, alone');
  await turns.turn();
  assert.deepEqual(released, ['small-1', 'small-2', 'small-3', 'heavy', 'heavy-2']);
  assert.equal(gate.queued, 0);
  assert.equal(turns.pending, 0, 'an empty gate schedules no more turns');
});

test('a light waiter that fits goes past a heavy one; the heavy one is passed over in at most MAX_TURNS_PASSED turns', async () => {
  const turns = fakeTurns();
  const gate = new TurnGate(100, turns.defer);
  const released: string[] = [];
  const wait = (name: string, weight: number) => gate.next(weight).then(() => released.push(`${name}@${turn}`));
  let turn = 1;
  void wait('page', 500);
  void wait('answer-1', 40);
  void wait('answer-2', 40);
  void wait('answer-3', 40);
  await turns.turn();
  assert.deepEqual(released, ['answer-1@1', 'answer-2@1'], 'the answers behind the page went while it waited');
  turn = 2;
  for (let i = 4; i <= 8; i++) void wait(`answer-${i}`, 40);
  await turns.turn();
  assert.deepEqual(released.slice(2), ['answer-3@2', 'answer-4@2'], 'passed over a second time');
  turn = 3;
  await turns.turn();
  assert.deepEqual(released.slice(4), ['page@3'], 'passed over MAX_TURNS_PASSED times: it goes first, and nothing newer goes past it');
  turn = 4;
  await turns.turn();
  assert.deepEqual(released.slice(5), ['answer-5@4', 'answer-6@4']);
  assert.equal(MAX_TURNS_PASSED, 2);
});

test('a light background waiter never goes past a user\'s heavy one', async () => {
  const turns = fakeTurns();
  const gate = new TurnGate(100, turns.defer);
  const released: string[] = [];
  void gate.next(500, 'user').then(() => released.push('page'));
  void gate.next(10, 'background').then(() => released.push('count'));
  void gate.next(10, 'user').then(() => released.push('answer'));
  await turns.turn();
  assert.deepEqual(released, ['answer'], 'a user\'s light answer passes the page; the share count does not');
  await turns.turn();
  assert.deepEqual(released, ['answer', 'page']);
  await turns.turn();
  assert.deepEqual(released, ['answer', 'page', 'count']);
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

test("a user's waiter goes ahead of every background one", async () => {
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
  assert.deepEqual(released, ['page-1', 'page-2', 'count-1', 'count-3'], 'a lighter background waiter may pass a background one');
  await turns.turn();
  assert.deepEqual(released, ['page-1', 'page-2', 'count-1', 'count-3', 'count-2']);
  assert.equal(gate.queued, 0);
});
