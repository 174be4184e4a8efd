import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairQueue } from '../../src/core/fairQueue';

type Entry = { priority: 'user' | 'background'; name: string };
const entry = (name: string, priority: Entry['priority'] = 'background'): Entry => ({ priority, name });

function drain(queue: FairQueue<string, Entry>): string[] {
  const names: string[] = [];
  for (let next = queue.shift(); next; next = queue.shift()) names.push(next.name);
  return names;
}

test('background waiters go one bucket at a time in turn, in order within each bucket', () => {
  const queue = new FairQueue<string, Entry>();
  for (const name of ['a1', 'a2', 'a3']) queue.push('a', entry(name));
  for (const name of ['b1', 'b2']) queue.push('b', entry(name));
  queue.push('c', entry('c1'));
  assert.equal(queue.size, 6);
  assert.deepEqual(drain(queue), ['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  assert.equal(queue.size, 0);
});

test("the user's waiters go first, in order, whatever their bucket", () => {
  const queue = new FairQueue<string, Entry>();
  queue.push('a', entry('a1'));
  queue.push('b', entry('u1', 'user'));
  queue.push('a', entry('u2', 'user'));
  assert.deepEqual(drain(queue), ['u1', 'u2', 'a1']);
});

test('a bucket that empties leaves the rotation; one that comes back joins at the end', () => {
  const queue = new FairQueue<string, Entry>();
  queue.push('a', entry('a1'));
  queue.push('b', entry('b1'));
  queue.push('b', entry('b2'));
  assert.equal(queue.shift()?.name, 'a1');
  queue.push('a', entry('a2'));
  assert.deepEqual(drain(queue), ['b1', 'a2', 'b2']);
});

test('a cancelled waiter is taken out wherever it is', () => {
  const queue = new FairQueue<string, Entry>();
  const [a1, a2, u1] = [entry('a1'), entry('a2'), entry('u1', 'user')];
  queue.push('a', a1);
  queue.push('a', a2);
  queue.push('a', u1);
  assert.equal(queue.remove('a', a2), true);
  assert.equal(queue.remove('a', u1), true);
  assert.equal(queue.remove('a', u1), false);
  assert.equal(queue.size, 1);
  assert.deepEqual(drain(queue), ['a1']);
});
