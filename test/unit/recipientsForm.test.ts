import assert from 'node:assert/strict';
import { test } from 'node:test';
import { receivedCopyVerdict } from '../../src/core/receivedCopy';
import { fixRequests } from '../../src/core/recipients';
import { parseWebviewMessage } from '../../src/webview/protocol';

const IMAGE = { profile: 'dev', region: 'us-east-1', imageId: 'ami-0123456789abcdef0' };
const KEY = 'arn:aws:kms:us-east-1:111111111111:key/2971b78a-02e8-4392-89b0-af9edd2c3b31';

test('a fix becomes exactly the pipeline requests for the owner side: one snapshot step per snapshot, or the key statements', () => {
  assert.deepEqual(fixRequests({ kind: 'snapshotPermission', accountId: '222222222222', snapshotIds: ['snap-1', 'snap-2'] }, IMAGE), [
    { kind: 'snapshotPermissions', image: IMAGE, mode: { add: [{ UserId: '222222222222' }], remove: [], snapshotId: 'snap-1' } },
    { kind: 'snapshotPermissions', image: IMAGE, mode: { add: [{ UserId: '222222222222' }], remove: [], snapshotId: 'snap-2' } },
  ]);
  assert.deepEqual(fixRequests({ kind: 'keyStatements', accountId: '333333333333', keyArn: KEY }, IMAGE), [
    { kind: 'keyPolicy', profile: 'dev', keyArn: KEY, grant: [{ UserId: '333333333333' }], revoke: [], forImages: [IMAGE.imageId] },
  ]);
});

test('the form’s recipient messages are parsed strictly: the webview names an account and a fix kind, nothing more', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'checkRecipients' }), { message: { type: 'checkRecipients' } });
  assert.deepEqual(parseWebviewMessage({ type: 'fixRecipient', accountId: '222222222222', fix: 'snapshotPermission' }), { message: { type: 'fixRecipient', accountId: '222222222222', fix: 'snapshotPermission' } });
  assert.ok('rejected' in parseWebviewMessage({ type: 'checkRecipients', accountIds: ['222222222222'] }));
  assert.ok('rejected' in parseWebviewMessage({ type: 'fixRecipient', accountId: '2222', fix: 'snapshotPermission' }));
  assert.ok('rejected' in parseWebviewMessage({ type: 'fixRecipient', accountId: '222222222222', fix: 'iamPolicy' }));
  assert.ok('rejected' in parseWebviewMessage({ type: 'fixRecipient', accountId: '222222222222', fix: 'keyStatements', keyArn: KEY }), 'the key comes from the host’s check, not the webview');
});

test('may this account copy a shared AMI: no when a snapshot is hidden from it or the key refuses it, unknown when undecidable, yes only when both were seen', () => {
  const notFound = { code: 'InvalidSnapshot.NotFound', message: 'not found' };
  assert.equal(receivedCopyVerdict({ snapshots: [{ snapshotId: 'snap-1', visible: notFound }], keyUse: {} }).verdict, 'no');
  assert.match(receivedCopyVerdict({ snapshots: [{ snapshotId: 'snap-1', visible: notFound }], keyUse: {} }).reason, /snap-1.*createVolumePermission/);
  assert.equal(receivedCopyVerdict({ snapshots: [{ snapshotId: 'snap-1', visible: { code: 'RequestLimitExceeded', message: 'slow down' } }], keyUse: {} }).verdict, 'unknown');
  assert.equal(receivedCopyVerdict({ snapshots: [], keyUse: {} }).verdict, 'unknown');
  assert.equal(receivedCopyVerdict({ snapshots: [{ snapshotId: 'snap-1', visible: true, encrypted: false }], keyUse: {} }).verdict, 'yes');
  const encrypted = { snapshotId: 'snap-1', visible: true as const, encrypted: true, keyArn: KEY };
  assert.equal(receivedCopyVerdict({ snapshots: [encrypted], keyUse: { [KEY]: true } }).verdict, 'yes');
  assert.equal(receivedCopyVerdict({ snapshots: [encrypted], keyUse: { [KEY]: { code: 'AccessDeniedException', message: 'no' } } }).verdict, 'no');
  assert.equal(receivedCopyVerdict({ snapshots: [encrypted], keyUse: { [KEY]: { code: 'ThrottlingException', message: 'slow' } } }).verdict, 'unknown');
  assert.equal(receivedCopyVerdict({ snapshots: [encrypted], keyUse: {} }).verdict, 'unknown');
  assert.equal(receivedCopyVerdict({ snapshots: [{ snapshotId: 'snap-1', visible: true, encrypted: true }], keyUse: {} }).verdict, 'unknown');
});
