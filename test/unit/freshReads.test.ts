import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FreshReads } from '../../src/core/freshReads';

test('a read started ahead is handed out once while fresh, and dropped when it waited too long', async () => {
  let now = 0;
  const reads = new FreshReads<string>(1000, () => now);
  let started = 0;
  const read = (value: string) => () => {
    started += 1;
    return Promise.resolve(value);
  };
  reads.start('a', read('a1'));
  reads.start('a', read('a2'));
  assert.equal(started, 1, 'a second start for the same key while one waits reads nothing');
  reads.start('b', read('b1'));
  now = 1000;
  assert.equal(await reads.take('a'), 'a1');
  assert.equal(reads.take('a'), undefined, 'each read is taken once');
  now = 1001;
  assert.equal(reads.take('b'), undefined, 'older than the limit: the caller reads again');
  assert.equal(reads.take('c'), undefined, 'never started');
});

test('a failed read surfaces to whoever takes it, and is not unhandled when nobody does', async () => {
  const reads = new FreshReads<string>(1000, () => 0);
  reads.start('gone', () => Promise.reject(new Error('InvalidAMIID.NotFound')));
  reads.start('taken', () => Promise.reject(new Error('AuthFailure')));
  await assert.rejects(reads.take('taken')!, /AuthFailure/);
  // 'gone' is never taken: without its handler node:test would report an unhandled rejection.
  await new Promise((resolve) => setImmediate(resolve));
});
