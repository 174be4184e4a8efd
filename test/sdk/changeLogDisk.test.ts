import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ChangeLog, type ChangeIntent, type ChangeResult } from '../../src/changeLog/changeLog';

/** The change log against a real disk: slow writes, and a log larger than a JavaScript string can hold. */

const base = { action: 'Sharing', profile: 'dev', account: '111111111111', region: 'us-east-1', before: [] };
const intent = (id: string): ChangeIntent => ({ kind: 'intent', id, time: new Date().toISOString(), ...base, imageId: `ami-${id}`, planned: { add: [{ UserId: '444444444444' }], remove: [] } });
const result = (id: string): ChangeResult => ({ kind: 'result', id, time: new Date().toISOString(), ...base, imageId: `ami-${id}`, ok: true, after: [{ UserId: '444444444444' }], applied: { add: [{ UserId: '444444444444' }], remove: [] } });

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ami-changelog-disk-'));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

test('a 300 ms slow disk: append resolves only after the write and the sync, so the intent precedes the next step', async () => {
  const dir = tempDir();
  const log = new ChangeLog(path.join(dir, 'changes.jsonl'));
  // The FileHandle class is not exported; take its prototype from an open handle.
  const probe = await fsp.open(__filename, 'r');
  const proto = Object.getPrototypeOf(probe) as Record<'write' | 'datasync' | 'sync', (...args: unknown[]) => Promise<unknown>>;
  await probe.close();
  const original = { write: proto.write, datasync: proto.datasync, sync: proto.sync };
  const synced: number[] = [];
  proto.write = async function (this: unknown, ...args: unknown[]) {
    await sleep(300);
    return original.write.apply(this, args);
  };
  for (const name of ['datasync', 'sync'] as const) {
    proto[name] = async function (this: unknown, ...args: unknown[]) {
      await sleep(300);
      const done = await original[name].apply(this, args);
      synced.push(Date.now());
      return done;
    };
  }
  try {
    const steps: string[] = [];
    const change = async (id: string) => {
      const started = Date.now();
      await log.append(intent(id));
      // The caller's next step (the EC2 call): the intent must be on disk and synced by now.
      const onDisk = fs.readFileSync(log.file, 'utf8').includes(`"id":"${id}"`);
      steps.push(`${id}: call after ${Date.now() - started} ms, intent on disk ${onDisk}, syncs ${synced.length}`);
      assert.ok(onDisk, `intent ${id} not on disk when append resolved`);
      assert.ok(synced.length > 0 && synced.at(-1)! <= Date.now(), 'append resolved before the sync finished');
      assert.ok(Date.now() - started >= 550, `append resolved after ${Date.now() - started} ms: the slow write and sync were not awaited`);
      await log.append(result(id));
    };
    let resolved = false;
    const first = change('1').then(() => {
      resolved = true;
    });
    await sleep(150);
    assert.equal(resolved, false);
    assert.equal(fs.existsSync(log.file) && fs.readFileSync(log.file, 'utf8').includes('"id":"1"'), false, 'the write is still in flight');
    await first;
    await Promise.all([change('2'), change('3')]);
    const entries = await log.read();
    assert.deepEqual(
      entries.map((e) => `${e.kind}:${e.id}`),
      ['intent:1', 'result:1', 'intent:2', 'intent:3', 'result:2', 'result:3'],
      steps.join('\n'),
    );
  } finally {
    Object.assign(proto, original);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a log over 600 MiB is streamed: the known entries are found and memory stays far below the file size', { timeout: 300_000 }, async (t) => {
  const dir = tempDir();
  const file = path.join(dir, 'changes.jsonl');
  try {
    const t0 = performance.now();
    // 1 MiB of complete filler lines (valid JSON, not change entries), written 600 times.
    const filler = JSON.stringify({ kind: 'padding', id: 'x', note: 'p'.repeat(900) });
    const lineBytes = filler.length + 1;
    const perChunk = Math.floor((1024 * 1024) / lineBytes);
    const chunk = Buffer.from(`${filler}\n`.repeat(perChunk));
    const fd = fs.openSync(file, 'w', 0o600);
    try {
      for (let i = 0; i < 600; i++) fs.writeSync(fd, chunk);
      const known = [intent('known-1'), result('known-1'), intent('known-2')];
      fs.writeSync(fd, known.map((e) => `${JSON.stringify(e)}\n`).join(''));
    } finally {
      fs.closeSync(fd);
    }
    const size = fs.statSync(file).size;
    t.diagnostic(`wrote ${(size / 1024 / 1024).toFixed(0)} MiB in ${(performance.now() - t0).toFixed(0)} ms`);
    assert.ok(size > 600 * 1024 * 1024 - 600 * lineBytes && size > 512 * 1024 * 1024, `file is ${size} bytes`);

    // maxBytes above the file size: no rotation, the reader sees one 600 MiB generation.
    const log = new ChangeLog(file, { maxBytes: 1024 * 1024 * 1024 });
    await log.append(result('known-2'));

    globalThis.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    try {
      let lines = 0;
      const found: string[] = [];
      for await (const entry of log.entries()) {
        lines++;
        if (entry.id !== 'x') found.push(`${entry.kind}:${entry.id}`);
        if (lines % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      }
      t.diagnostic(`streamed ${lines} lines in ${(performance.now() - t0).toFixed(0)} ms since the start`);
      assert.equal(lines, 600 * perChunk + 4);
      assert.deepEqual(found, ['intent:known-1', 'result:known-1', 'intent:known-2', 'result:known-2']);

      const history = await log.history();
      assert.deepEqual(history.results.map((e) => e.id), ['known-2', 'known-1']);
      assert.deepEqual(history.interrupted, []);
    } finally {
      clearInterval(sampler);
    }
    const growth = peak - baseline;
    t.diagnostic(`rss ${(baseline / 1024 / 1024).toFixed(0)} MiB before, peak ${(peak / 1024 / 1024).toFixed(0)} MiB; ${(performance.now() - t0).toFixed(0)} ms in all`);
    assert.ok(growth < 128 * 1024 * 1024, `rss grew by ${(growth / 1024 / 1024).toFixed(0)} MiB reading a ${(size / 1024 / 1024).toFixed(0)} MiB log`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
