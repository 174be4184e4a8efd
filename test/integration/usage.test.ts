import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ControlClient } from '../support/controlClient';
import { scriptedSuite } from './scriptedSuite';

const DEV = '111111111111';
const PROD = '222222222222';

describe('who still uses an AMI, in the confirmation of a command', () => {
  const suite = scriptedSuite();
  const control = ControlClient.fromEnvironment();

  it('unshareImage: the modal text names last launched, the owner’s and the recipient profile’s references', async () => {
    const { imageId } = await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-03');
    await control.imageLifecycle({ accountId: DEV, region: 'us-east-1', imageId, lastLaunchedTime: new Date(Date.now() - 3 * 86_400_000 - 60_000).toISOString() });
    for (const n of [1, 2, 3]) {
      await control.addImageReference({ accountId: PROD, region: 'us-east-1', imageId, resourceType: 'ec2:Instance', arn: `arn:aws:ec2:us-east-1:${PROD}:instance/i-000000000000000${n}` });
    }
    suite.prompts.push({ confirm: false });
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.unshareImage', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], accountIds: [PROD] })), /Cancelled/);
    const [asked] = suite.prompts.asked;
    assert.match(asked!, new RegExp(`Who still uses ${imageId} \\(us-east-1\\): last launched 3 days ago .*delay of up to 24 h`));
    assert.match(asked!, /No references in 111111111111 \(dev, owner\)/);
    assert.match(asked!, /In use by 3 instances in 222222222222 \(prod\)/);
    assert.deepEqual((await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-03')).launchPermissions.map((p) => p.UserId).sort(), [PROD, '444444444444']);
  });
});
