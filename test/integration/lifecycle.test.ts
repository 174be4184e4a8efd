import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ControlClient } from '../support/controlClient';
import { childByLabel } from './helpers';
import { scriptedSuite } from './scriptedSuite';

const DEV = '111111111111';
interface Results {
  changeId?: string;
  results: Array<{ imageId: string; ok: boolean; error?: string; settings?: Array<{ name: string; before: string | null; after: string | null }> }>;
}

describe('lifecycle commands with argument objects', () => {
  const suite = scriptedSuite();
  const control = ControlClient.fromEnvironment();
  const image = (name: string) => control.image(DEV, 'us-east-1', name);
  const run = async (command: string, argument: object) => (await vscode.commands.executeCommand(command, argument)) as Results;

  it('setDeprecation deprecates after the confirmation (rounded to the minute), null cancels, undoChange restores', async () => {
    const { imageId } = await image('golden-al2023-2026-11-03');
    const at = new Date(Date.now() + 30 * 86_400_000);
    at.setUTCSeconds(50, 0);
    const expected = new Date(Math.round(at.getTime() / 60_000) * 60_000).toISOString();
    suite.prompts.push({ confirm: true });
    const set = await run('amiSharing.setDeprecation', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], deprecateAt: at.toISOString() });
    assert.equal(set.results[0]!.ok, true, set.results[0]!.error);
    assert.deepEqual(set.results[0]!.settings, [{ name: 'deprecation', before: null, after: expected }]);
    assert.equal((await image('golden-al2023-2026-11-03')).deprecationTime, expected);
    assert.equal(suite.prompts.asked.length, 1, 'deprecating counts as removing access: confirmed');

    await run('amiSharing.undoChange', { id: set.changeId });
    assert.equal((await image('golden-al2023-2026-11-03')).deprecationTime, undefined);

    suite.prompts.push({ confirm: true });
    await run('amiSharing.setDeprecation', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], deprecateAt: at.toISOString() });
    const cancel = await run('amiSharing.setDeprecation', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], deprecateAt: null });
    assert.deepEqual(cancel.results[0]!.settings, [{ name: 'deprecation', before: expected, after: null }]);
    assert.equal((await image('golden-al2023-2026-11-03')).deprecationTime, undefined);
  });

  it('setDeprecation refuses a time without a zone and unknown fields, before any prompt', async () => {
    const { imageId } = await image('golden-al2023-2026-11-03');
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.setDeprecation', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], deprecateAt: '2027-01-01 10:00' })), /"deprecateAt" must be an ISO 8601 time/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.setDeprecation', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], deprecateAt: null, when: 1 })), /unknown argument field "when"/);
    assert.equal(suite.prompts.asked.length, 0);
  });

  it('setDeregistrationProtection turns protection on with cooldown and off; withCooldown without enabled is refused', async () => {
    const { imageId } = await image('golden-al2023-2026-11-01');
    const on = await run('amiSharing.setDeregistrationProtection', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], enabled: true, withCooldown: true });
    assert.deepEqual(on.results[0]!.settings, [{ name: 'protection', before: 'disabled', after: 'enabled-with-cooldown' }]);
    assert.deepEqual((await image('golden-al2023-2026-11-01')).deregistrationProtection, { enabled: true, withCooldown: true });
    const off = await run('amiSharing.setDeregistrationProtection', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], enabled: false });
    assert.equal(off.results[0]!.ok, true, off.results[0]!.error);
    assert.equal((await image('golden-al2023-2026-11-01')).deregistrationProtection?.enabled, false);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.setDeregistrationProtection', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], enabled: false, withCooldown: true })), /withCooldown/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.setDeregistrationProtection', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], enabled: 'yes' })), /"enabled" must be true or false/);
  });

  it('disableImage removes every launch permission after the confirmation; enableImage offers to restore exactly them', async () => {
    const before = await image('golden-al2023-2026-11-03');
    suite.prompts.push({ confirm: true });
    const disabled = await run('amiSharing.disableImage', { profile: 'dev', region: 'us-east-1', imageIds: [before.imageId] });
    assert.equal(disabled.results[0]!.ok, true, disabled.results[0]!.error);
    assert.match(suite.prompts.asked[0]!, /Disable/);
    const off = await image('golden-al2023-2026-11-03');
    assert.equal(off.state, 'disabled');
    assert.deepEqual(off.launchPermissions, []);

    suite.prompts.push({ choose: (actions) => actions.find((a) => a.startsWith('Restore')) });
    const enabled = await run('amiSharing.enableImage', { profile: 'dev', region: 'us-east-1', imageIds: [before.imageId] });
    assert.ok(enabled.results.every((r) => r.ok), JSON.stringify(enabled.results));
    const on = await image('golden-al2023-2026-11-03');
    assert.equal(on.state, 'available');
    assert.deepEqual(on.launchPermissions, before.launchPermissions);
  });

  it('deregisterImage is refused with the reason under protection, then deregisters once protection is off', async () => {
    const { imageId } = await image('golden-al2023-2026-11-01');
    await run('amiSharing.setDeregistrationProtection', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], enabled: true });
    const refused = await run('amiSharing.deregisterImage', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], deleteSnapshots: true });
    assert.equal(refused.results[0]!.ok, false);
    assert.match(refused.results[0]!.error ?? '', /cannot be deregistered: deregistration protection is on/);
    assert.equal((await image('golden-al2023-2026-11-01')).state, 'available');
    await run('amiSharing.setDeregistrationProtection', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], enabled: false });
    suite.prompts.push({ confirm: true });
    const done = await run('amiSharing.deregisterImage', { profile: 'dev', region: 'us-east-1', imageIds: [imageId], deleteSnapshots: true });
    assert.equal(done.results[0]!.ok, true, done.results[0]!.error);
    assert.match(suite.prompts.asked[0]!, /cannot be undone/);
    assert.equal((await image('golden-al2023-2026-11-01')).state, 'deregistered');
  });

  it('promoteImage across 2 Regions gives the new version exactly the previous recipients, after one confirmation', async () => {
    const register = (region: string, name: string, launchPermissions: object[] = []) => control.registerImage({ accountId: DEV, region, name, launchPermissions });
    const fromUs = await register('us-east-1', 'web-2026.11', [{ UserId: '222222222222' }]);
    const toUs = await register('us-east-1', 'web-2026.12');
    await register('eu-west-1', 'web-2026.11', [{ UserId: '444444444444' }]);
    const toEu = await register('eu-west-1', 'web-2026.12');
    suite.prompts.push({ confirm: true });
    const outcome = (await vscode.commands.executeCommand('amiSharing.promoteImage', {
      profile: 'dev', region: 'us-east-1', fromImageId: fromUs.imageId, toImageId: toUs.imageId, regions: ['eu-west-1'],
    })) as { results: Array<{ region: string; ok: boolean; toImageId: string; after: object[]; error?: string }> };
    assert.equal(suite.prompts.asked.length, 1);
    assert.deepEqual(outcome.results.map((r) => [r.region, r.ok, r.toImageId]), [['us-east-1', true, toUs.imageId], ['eu-west-1', true, toEu.imageId]]);
    assert.deepEqual((await control.image(DEV, 'us-east-1', 'web-2026.12')).launchPermissions, [{ UserId: '222222222222' }]);
    assert.deepEqual((await control.image(DEV, 'eu-west-1', 'web-2026.12')).launchPermissions, [{ UserId: '444444444444' }]);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.promoteImage', { profile: 'dev', region: 'us-east-1', fromImageId: fromUs.imageId, toImageId: fromUs.imageId })), /two different AMIs/);
  });

  it('Promote from previous version on a tree AMI proposes the newest older AMI of the family, says how it matched and shows the plan', async () => {
    await control.registerImage({ accountId: DEV, region: 'us-east-1', name: 'tree-app-2026-10-01', launchPermissions: [{ UserId: '444444444444' }] });
    await control.registerImage({ accountId: DEV, region: 'us-east-1', name: 'tree-app-2026-11-01', launchPermissions: [{ UserId: '222222222222' }] });
    const current = await control.registerImage({ accountId: DEV, region: 'us-east-1', name: 'tree-app-2026-12-01' });
    await vscode.commands.executeCommand('amiSharing.refresh');
    const region = await childByLabel(suite.api, (await childByLabel(suite.api, undefined, 'dev')).node, 'us-east-1');
    const mine = await childByLabel(suite.api, region.node, 'My AMIs');
    const node = await childByLabel(suite.api, mine.node, 'tree-app-2026-12-01');
    let offered: string[] = [];
    suite.prompts.push({ pickOne: (items) => { offered = items.map((i) => `${i.label} ${i.detail ?? ''}`); return items[0]!.value; } }, { confirm: true });
    await vscode.commands.executeCommand('amiSharing.promoteFromPrevious', node.node);
    assert.match(offered[0]!, /^tree-app-2026-11-01 Matched by family "tree-app-" \(the name without its trailing date "2026-12-01"\), newest older AMI of 2/);
    assert.match(suite.prompts.asked[1]!, /Previous version matched by family "tree-app-"/);
    assert.match(suite.prompts.asked[1]!, new RegExp(`${current.imageId} .*launch permissions: \\+ 222222222222`));
    assert.deepEqual((await control.image(DEV, 'us-east-1', 'tree-app-2026-12-01')).launchPermissions, [{ UserId: '222222222222' }]);
  });
});
