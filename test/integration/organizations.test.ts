import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PickItem } from '../../src/ui/prompts';
import { ControlClient } from '../support/controlClient';
import { eventually } from '../support/poll';
import { childByLabel, children } from './helpers';
import { scriptedSuite } from './scriptedSuite';

const DEV = '111111111111';
const TOOLS = '333333333333';
const SANDBOX_ALICE = '555555555555';
const SANDBOXES_OU = 'arn:aws:organizations::111111111111:ou/o-abc123def4/ou-ab12-sbx00001';
const ORGANIZATION = 'arn:aws:organizations::111111111111:organization/o-abc123def4';

interface Results {
  results: Array<{ imageId: string; ok: boolean; after: object[]; error?: string }>;
}

type OrganizationPick = { kind: 'target'; entry: string } | { kind: 'typed' };

/**
 * Share targets from AWS Organizations: tools (a delegated administrator) is offered the organization's
 * accounts by name and its OUs as a tree; dev (whose IAM user may not read Organizations) types IDs as before.
 */
describe('share targets from AWS Organizations', () => {
  const suite = scriptedSuite();
  const control = ControlClient.fromEnvironment();

  before(async () => {
    await vscode.workspace.getConfiguration('amiSharing').update('profiles', ['dev', 'prod', 'tools'], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('amiSharing.selectRegions', { profile: 'dev', regions: ['us-east-1', 'eu-west-1'] });
  });
  after(async () => {
    await vscode.workspace.getConfiguration('amiSharing').update('profiles', ['dev', 'prod'], vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('amiSharing').update('accountNames', undefined, vscode.ConfigurationTarget.Global);
    // Names read from Organizations last for the session: later suites expect bare IDs.
    await vscode.commands.executeCommand('amiSharing.refresh');
  });

  it('a profile that can read Organizations picks named accounts and OUs (with what each covers), and the tree names them', async () => {
    const image = await control.image(TOOLS, 'us-east-1', 'tools-ci-runner-2026-11-12');
    await vscode.workspace.getConfiguration('amiSharing').update('accountNames', { [SANDBOX_ALICE]: 'alice (configured)' }, vscode.ConfigurationTarget.Global);
    let offered: PickItem<OrganizationPick>[] = [];
    suite.prompts.push(
      { pickOne: (items) => items.find((i) => i.label === 'tools')!.value },
      { pickMany: (items) => items.filter((i) => String(i.description).startsWith(image.imageId)).map((i) => i.value) },
      {
        pickMany: (items) => {
          offered = items as PickItem<OrganizationPick>[];
          return offered.filter((i) => i.value.kind === 'target' && (i.value.entry === SANDBOX_ALICE || i.value.entry === SANDBOXES_OU)).map((i) => i.value);
        },
      },
    );
    const result = (await vscode.commands.executeCommand('amiSharing.shareImage')) as Results;
    assert.equal(result.results[0]?.ok, true, result.results[0]?.error);
    assert.deepEqual(result.results[0]!.after, [{ OrganizationalUnitArn: SANDBOXES_OU }, { UserId: SANDBOX_ALICE }]);

    const labels = offered.map((i) => i.label);
    assert.match(labels[0]!, /Type account IDs or ARNs/);
    // The OU tree: the whole organization (root), then its OUs, nested ones indented further.
    assert.deepEqual(
      offered.filter((i) => i.value.kind === 'target' && i.value.entry.startsWith('arn:')).map((i) => i.label.replace(/\$\([a-z-]+\) /, '')),
      ['Whole organization o-abc123def4', '\u2003\u2003Security', '\u2003\u2003Workloads', '\u2003\u2003\u2003\u2003Sandboxes'],
    );
    assert.equal(offered.find((i) => i.value.kind === 'target' && i.value.entry === ORGANIZATION)?.description, ORGANIZATION);
    const sandboxes = offered.find((i) => i.value.kind === 'target' && i.value.entry === SANDBOXES_OU)!;
    assert.equal(sandboxes.detail, `Covers 2: alice (configured) (${SANDBOX_ALICE}), sandbox-bob (666666666666)`);
    // Member accounts by name with their IDs (searchable by both); the owner's own account is not offered.
    const accounts = offered.filter((i) => i.value.kind === 'target' && /^\d{12}$/.test(i.value.entry));
    assert.deepEqual(
      accounts.map((i) => [i.label, i.description]),
      [
        ['$(person) alice (configured)', SANDBOX_ALICE],
        ['$(person) management', DEV],
        ['$(person) production', '222222222222'],
        ['$(person) sandbox-bob', '666666666666'],
        ['$(person) security-audit', '777777777777'],
      ],
    );
    assert.ok(!accounts.some((i) => i.description === TOOLS));

    // The tree names the new recipient (the setting wins over Organizations' name) and the OU (by its name, the ARN beside it).
    await eventually(async () => {
      const region = await childByLabel(suite.api, (await childByLabel(suite.api, undefined, 'tools')).node, 'us-east-1');
      const mine = await childByLabel(suite.api, region.node, 'My AMIs');
      const shared = await childByLabel(suite.api, mine.node, 'tools-ci-runner-2026-11-12');
      const entries = await children(suite.api, shared.node);
      assert.deepEqual(entries.map((p) => [p.label, p.description]).sort(), [
        ['Sandboxes', `organizational unit · ${SANDBOXES_OU}`],
        ['alice (configured)', SANDBOX_ALICE],
      ]);
    });
  });

  it('confirmations name the accounts Organizations named', async () => {
    await vscode.workspace.getConfiguration('amiSharing').update('accountNames', undefined, vscode.ConfigurationTarget.Global);
    const image = await control.image(TOOLS, 'us-east-1', 'tools-ci-runner-2026-11-12');
    await control.changeLaunchPermissions({ accountId: TOOLS, region: 'us-east-1', imageId: image.imageId, add: [{ UserId: SANDBOX_ALICE }, { UserId: '666666666666' }] });
    suite.prompts.push({ confirm: true });
    await vscode.commands.executeCommand('amiSharing.unshareImage', { profile: 'tools', region: 'us-east-1', imageIds: [image.imageId], accountIds: [SANDBOX_ALICE, '666666666666'] });
    assert.match(suite.prompts.asked[0]!, /555555555555 \(sandbox-alice\)/);
    assert.match(suite.prompts.asked[0]!, /666666666666 \(sandbox-bob\)/);
  });

  it('after the organization was read, names appear beside IDs elsewhere too (dev’s tree), amiSharing.accountNames winning', async () => {
    await vscode.workspace.getConfiguration('amiSharing').update('accountNames', undefined, vscode.ConfigurationTarget.Global);
    const image = await control.image(TOOLS, 'us-east-1', 'tools-ci-runner-2026-11-12');
    suite.prompts.push(
      { pickOne: (items) => items.find((i) => i.label === 'tools')!.value },
      { pickMany: (items) => items.filter((i) => String(i.description).startsWith(image.imageId)).map((i) => i.value) },
      { pickMany: (items) => (items as PickItem<OrganizationPick>[]).filter((i) => i.value.kind === 'typed').map((i) => i.value) },
      { input: '444444444444' },
    );
    const result = (await vscode.commands.executeCommand('amiSharing.shareImage')) as Results;
    assert.deepEqual(result.results[0]!.after, [{ UserId: '444444444444' }], 'choosing "type" goes to the usual box');
    const mine = await childByLabel(suite.api, (await childByLabel(suite.api, (await childByLabel(suite.api, undefined, 'dev')).node, 'us-east-1')).node, 'My AMIs');
    const shared = await childByLabel(suite.api, mine.node, 'golden-al2023-2026-11-03');
    await eventually(async () => {
      assert.deepEqual((await children(suite.api, shared.node)).map((p) => [p.label, p.description]), [
        ['production', '222222222222'],
        ['444444444444', ''],
      ]);
    });
  });

  it('a profile that cannot read Organizations falls back to typed account IDs, as before', async () => {
    const image = await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-01');
    suite.prompts.push(
      { pickOne: (items) => items.find((i) => i.label === 'dev')!.value },
      { pickOne: (items) => items.find((i) => i.description === 'us-east-1')!.value },
      { pickMany: (items) => items.filter((i) => String(i.description).startsWith(image.imageId)).map((i) => i.value) },
      { input: '444444444444' },
    );
    const result = (await vscode.commands.executeCommand('amiSharing.shareImage')) as Results;
    assert.deepEqual(result.results[0]!.after, [{ UserId: '444444444444' }]);
    assert.deepEqual(
      suite.prompts.asked.map((question) => question.split(':')[0]),
      ['pickOne', 'pickOne', 'pickMany', 'input'],
      'no organization picker for dev',
    );
  });
});
