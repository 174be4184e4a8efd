import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { redactSecrets } from '../../src/core/logger';
import { ChangeLog, formatChangeLog } from '../../src/changeLog/changeLog';
import { JsonLinesFile } from '../../src/changeLog/jsonLines';

function tempLog(): ChangeLog {
  return new ChangeLog(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ami-changelog-')), 'nested', 'changes.jsonl'));
}

const base = { action: 'Sharing', profile: 'dev', account: '111111111111', region: 'us-east-1' };

test('a bulk action cut short leaves intents without results: the log names exactly those AMIs', async () => {
  const log = tempLog();
  await log.append({ kind: 'intent', id: '1', time: 't1', ...base, imageId: 'ami-1', before: [], planned: { add: [{ UserId: '444444444444' }], remove: [] } });
  await log.append({ kind: 'result', id: '1', time: 't2', ...base, imageId: 'ami-1', ok: true, before: [], after: [{ UserId: '444444444444' }], applied: { add: [{ UserId: '444444444444' }], remove: [] }, requestId: 'req-1' });
  await log.append({ kind: 'intent', id: '2', time: 't3', ...base, imageId: 'ami-2', before: [], planned: { add: [{ UserId: '444444444444' }], remove: [] } });
  // The process dies here: a half-written line must not break reading.
  fs.appendFileSync(log.file, '{"kind":"result","id":"2","ti');
  const history = await log.history();
  assert.deepEqual(history.results.map((r) => r.imageId), ['ami-1']);
  assert.deepEqual(history.interrupted.map((i) => i.imageId), ['ami-2']);
  const text = formatChangeLog(history);
  assert.match(text, /Interrupted[\s\S]*ami-2/);
  assert.match(text, /OK +Sharing ami-1 \(dev 111111111111, us-east-1\)/);
  assert.match(text, /request: req-1/);
});

test('appends keep their order under concurrency', async () => {
  const log = tempLog();
  await Promise.all(Array.from({ length: 50 }, (_, i) => log.append({ kind: 'intent', id: String(i), time: 't', ...base, imageId: `ami-${i}`, before: [], planned: { add: [], remove: [] } })));
  assert.deepEqual((await log.read()).map((e) => e.id), Array.from({ length: 50 }, (_, i) => String(i)));
});

test('appends issued while a write is under way share the next write and its one sync (group commit); a read sees only appends issued before it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-changelog-'));
  const file = new JsonLinesFile<{ id: number }>(path.join(dir, 'lines.jsonl'));
  const probe = await fsp.open(__filename, 'r');
  const proto = Object.getPrototypeOf(probe) as { datasync: (...args: unknown[]) => Promise<void> };
  await probe.close();
  const original = proto.datasync;
  let syncs = 0;
  proto.datasync = function (this: unknown, ...args: unknown[]) {
    syncs += 1;
    return original.apply(this, args);
  };
  try {
    await file.append({ id: 0 });
    assert.equal(syncs, 1);
    const first = file.append({ id: 1 });
    const together = Array.from({ length: 49 }, (_, i) => file.append({ id: i + 2 }));
    await Promise.all([first, ...together]);
    assert.equal(syncs, 2, '50 appends issued together: one write, one sync');
    const before = file.append({ id: 51 });
    const reading = file.entries();
    const after = file.append({ id: 52 });
    const seen: number[] = [];
    for await (const line of reading) seen.push(line.id);
    await Promise.all([before, after]);
    assert.deepEqual(seen, Array.from({ length: 52 }, (_, i) => i), 'the append issued after entries() is not read');
    const all: number[] = [];
    for await (const line of file.entries()) all.push(line.id);
    assert.deepEqual(all, Array.from({ length: 53 }, (_, i) => i));
  } finally {
    proto.datasync = original;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('secrets are masked before anything is logged', () => {
  const text = 'failed with AKIAIOSFODNN7EXAMPLE and aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, "SessionToken":"FQoGZXIvYXdzEXAMPLE"';
  const redacted = redactSecrets(text);
  assert.ok(!redacted.includes('AKIAIOSFODNN7EXAMPLE'));
  assert.ok(!redacted.includes('wJalrXUtnFEMI'));
  assert.ok(!redacted.includes('FQoGZXIvYXdzEXAMPLE'));
  assert.match(redacted, /AKIA…MPLE/);
});

const intent = (id: string, extra: Record<string, unknown> = {}) =>
  ({ kind: 'intent' as const, id, time: 't', ...base, imageId: `ami-${id}`, before: [], planned: { add: [{ UserId: '444444444444' }], remove: [] }, ...extra });
const result = (id: string, extra: Record<string, unknown> = {}) =>
  ({ kind: 'result' as const, id, time: 't', ...base, imageId: `ami-${id}`, ok: true, before: [], after: [], applied: { add: [], remove: [] }, ...extra });

function fileMode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

test('an awaited intent is on disk when append resolves', async () => {
  const log = tempLog();
  for (const id of ['a', 'b', 'c']) {
    await log.append(intent(id));
    // What the caller does next (the EC2 call) happens after this point: the line must already be there.
    const lines = fs.readFileSync(log.file, 'utf8').trim().split('\n');
    assert.equal((JSON.parse(lines.at(-1)!) as { id: string }).id, id);
  }
});

test('a torn last line (a crash mid-write) does not swallow the next entry', async () => {
  const log = tempLog();
  await log.append(intent('1'));
  fs.appendFileSync(log.file, '{"kind":"result","id":"1","ti'); // no newline: the process died here
  await log.append(intent('2'));
  await log.append(result('2'));
  assert.deepEqual((await log.read()).map((e) => `${e.kind}:${e.id}`), ['intent:1', 'intent:2', 'result:2']);
  const lines = fs.readFileSync(log.file, 'utf8').split('\n');
  assert.equal(lines[1], '{"kind":"result","id":"1","ti', 'the torn line stays on a line of its own');
  assert.deepEqual((await log.history()).interrupted.map((e) => e.id), ['1']);
});

test('the log is private: file 0600 in a folder 0700, an existing file is tightened', { skip: process.platform === 'win32' }, async () => {
  const log = tempLog();
  await log.append(intent('1'));
  assert.equal(fileMode(log.file), 0o600);
  assert.equal(fileMode(path.dirname(log.file)), 0o700);
  fs.chmodSync(log.file, 0o644);
  await log.append(intent('2'));
  assert.equal(fileMode(log.file), 0o600);
});

test('rotation keeps 3 generations (each 0600) and history reads across them, oldest first', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-changelog-'));
  const file = path.join(dir, 'changes.jsonl');
  const log = new ChangeLog(file, { maxBytes: 300 });
  const oneLine = Buffer.byteLength(`${JSON.stringify(intent('00'))}\n`);
  assert.ok(oneLine > 150 && oneLine <= 300, `entry size ${oneLine}: the arithmetic below needs two lines per file`);
  // Pairs: intent n, result n. Each file takes two lines, then it is over 300 bytes and rotates.
  for (let n = 0; n < 6; n++) {
    await log.append(intent(String(n).padStart(2, '0')));
    await log.append(result(String(n).padStart(2, '0')));
  }
  const names = fs.readdirSync(dir).sort();
  assert.deepEqual(names, ['changes.1.jsonl', 'changes.2.jsonl', 'changes.3.jsonl', 'changes.jsonl']);
  if (process.platform !== 'win32') for (const name of names) assert.equal(fileMode(path.join(dir, name)), 0o600, name);
  // Six pairs, four files of one pair each: the oldest two pairs are gone, the rest read in order.
  assert.deepEqual((await log.read()).map((e) => `${e.kind}:${e.id}`), ['02', '03', '04', '05'].flatMap((id) => [`intent:${id}`, `result:${id}`]));
  assert.deepEqual(fs.readFileSync(path.join(dir, 'changes.3.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id), ['02', '02']);
  const history = await log.history();
  assert.deepEqual(history.results.map((e) => e.id), ['05', '04', '03', '02']);
  assert.deepEqual(history.interrupted, []);
  // An intent whose result landed in the next generation is not interrupted.
  await log.append(intent('06'));
  await log.append(intent('07'));
  await log.append(result('06'));
  assert.deepEqual((await log.history()).interrupted.map((e) => e.id), ['07']);
});

test('secrets in an entry are never written', async () => {
  const log = tempLog();
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const entry = result('1', {
    ok: false,
    error: `Command failed: /bin/get-creds --token abc\nSECRET-IN-STDERR aws_secret_access_key=${secret},tail AKIAIOSFODNN7EXAMPLE`,
    requestId: `<SessionToken>FQoGZXIvYXdzEXAMPLE</SessionToken>`,
  });
  await log.append(entry);
  const text = fs.readFileSync(log.file, 'utf8');
  for (const leaked of [secret, 'tail', 'SECRET-IN-STDERR', '/bin/get-creds', 'AKIAIOSFODNN7EXAMPLE', 'FQoGZXIvYXdzEXAMPLE']) {
    assert.ok(!text.includes(leaked), `${leaked} written: ${text}`);
  }
  assert.match(text, /AKIA…MPLE|credential_process \(command hidden\)/);
  assert.ok((entry as { error?: string }).error?.includes(secret), "the caller's object is not changed");
  const [read] = await log.read();
  assert.equal(read?.id, '1');
});

test('a failed write rejects, and later appends still work', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-changelog-'));
  const blocker = path.join(dir, 'storage');
  fs.writeFileSync(blocker, 'a file where the folder should be');
  const log = new ChangeLog(path.join(blocker, 'changes.jsonl'));
  const first = log.append(intent('1'));
  const second = log.append(intent('2'));
  await assert.rejects(first, (error: NodeJS.ErrnoException) => ['ENOTDIR', 'EEXIST'].includes(error.code ?? ''));
  await assert.rejects(second);
  fs.rmSync(blocker);
  await log.append(intent('3'));
  assert.deepEqual((await log.read()).map((e) => e.id), ['3']);
});

test('the entry is serialized when append is called; an unserializable one rejects', async () => {
  const log = tempLog();
  const entry = intent('1');
  const pending = log.append(entry);
  entry.imageId = 'ami-changed-afterwards';
  await pending;
  assert.equal((await log.read())[0]?.imageId, 'ami-1');
  const big = { ...intent('3'), n: 1n } as unknown as ReturnType<typeof intent>;
  await assert.rejects(log.append(big), TypeError);
  await log.append(intent('4'));
  assert.deepEqual((await log.read()).map((e) => e.id), ['1', '4']);
});

test('entries() streams, skips lines that are not JSON objects, and closes its files when left early', async () => {
  const log = tempLog();
  assert.deepEqual(await log.read(), [], 'no file yet: no entries');
  for (let i = 0; i < 20; i++) await log.append(intent(String(i)));
  fs.appendFileSync(log.file, '\n\n12\n[1]\nnot json\n');
  await log.append(intent('20'));
  assert.equal((await log.read()).length, 21);
  // Several generations, so that leaving during the first one leaves the others unread.
  const rotated = new ChangeLog(log.file, { maxBytes: 1000 });
  for (let i = 21; i < 40; i++) await rotated.append(intent(String(i)));
  assert.ok(fs.existsSync(rotated.file.replace(/\.jsonl$/, '.3.jsonl')));
  const openFiles = () => (process.platform === 'linux' ? fs.readdirSync('/proc/self/fd').length : 0);
  const before = openFiles();
  for (let round = 0; round < 20; round++) {
    for await (const entry of rotated.entries()) {
      if (entry) break;
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(openFiles() <= before + 1, `file handles leaked: ${before} → ${openFiles()}`);
  const seen: string[] = [];
  for await (const entry of rotated.entries()) seen.push(entry.id);
  assert.ok(seen.length > 4 && seen.length < 40, `${seen.length} entries in 4 generations`);
  assert.deepEqual(seen, [...seen].sort((a, b) => Number(a) - Number(b)), 'oldest first');
  assert.equal(seen.at(-1), '39');
});
