import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { redactSecrets } from '../../src/core/logger';
import { ChangeLog, formatChangeLog } from '../../src/changeLog/changeLog';

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

test('secrets are masked before anything is logged', () => {
  const text = 'failed with AKIAIOSFODNN7EXAMPLE and aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, "SessionToken":"FQoGZXIvYXdzEXAMPLE"';
  const redacted = redactSecrets(text);
  assert.ok(!redacted.includes('AKIAIOSFODNN7EXAMPLE'));
  assert.ok(!redacted.includes('wJalrXUtnFEMI'));
  assert.ok(!redacted.includes('FQoGZXIvYXdzEXAMPLE'));
  assert.match(redacted, /AKIA…MPLE/);
});
