import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AwsTarget, ImageSummary, LaunchPermission, ProfileInfo } from '../../src/core/types';
import type { ExplorerData } from '../../src/tree/explorerData';
import { ExplorerModel } from '../../src/tree/explorerModel';
import type { ExplorerNode, ImageNode } from '../../src/tree/nodes';
import { presentNode, sharingLabel } from '../../src/tree/presentation';

function image(id: string, created: string, extra: Partial<ImageSummary> = {}): ImageSummary {
  return { imageId: id, name: `name-${id}`, ownerId: '111111111111', state: 'available', creationDate: created, isPublic: false, snapshotIds: [], anyEncrypted: false, ...extra };
}

interface FakeOptions {
  profiles?: ProfileInfo[];
  failingProfiles?: string[];
  pages?: ImageSummary[][];
  permissions?: Record<string, LaunchPermission[]>;
}

function fakeData(options: FakeOptions = {}): ExplorerData & { permissionCalls: string[] } {
  const permissionCalls: string[] = [];
  return {
    permissionCalls,
    profiles: async () => options.profiles ?? [{ name: 'dev', credentialKind: 'static', region: 'us-east-1' }, { name: 'prod', credentialKind: 'static', region: 'eu-west-1' }],
    accountId: async (profile) => {
      if (options.failingProfiles?.includes(profile)) throw Object.assign(new Error('bad key'), { name: 'AuthFailure' });
      return profile === 'dev' ? '111111111111' : '222222222222';
    },
    regions: async (profile) => (profile === 'dev' ? ['us-east-1', 'eu-west-1'] : ['eu-west-1']),
    listImages: async (_target: AwsTarget, _group, onPage) => {
      const pages = options.pages ?? [[image('ami-1', '2026-01-01')]];
      let soFar: ImageSummary[] = [];
      for (const [index, page] of pages.entries()) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        soFar = [...soFar, ...page].sort((a, b) => (b.creationDate ?? '').localeCompare(a.creationDate ?? ''));
        onPage(soFar, index === pages.length - 1);
      }
      return soFar;
    },
    blockPublicAccess: async () => 'unblocked',
    snapshotPermissionsMatch: async () => true,
    launchPermissions: async (_target, imageId, priority) => {
      permissionCalls.push(`${imageId}:${priority}`);
      return options.permissions?.[imageId] ?? [];
    },
    explain: (error) => ({ message: `explained: ${(error as Error).message}`, ssoLoginNeeded: false }),
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('levels: profiles → Regions → My AMIs / Shared with me → AMIs → permissions', async () => {
  const model = new ExplorerModel(fakeData({ permissions: { 'ami-1': [{ UserId: '222222222222' }, { Group: 'all' }] } }), () => undefined);
  const profiles = await model.getChildren();
  assert.deepEqual(profiles.map((n) => n.id), ['profile/dev', 'profile/prod']);
  const regions = await model.getChildren(profiles[0]);
  assert.deepEqual(regions.map((n) => n.kind === 'region' && n.region), ['us-east-1', 'eu-west-1']);
  const groups = await model.getChildren(regions[0]);
  assert.deepEqual(groups.map((n) => presentNode(n, model, {}).label), ['My AMIs', 'Shared with me']);
  const images = await model.getChildren(groups[0]);
  assert.equal(images.length, 1);
  const permissions = await model.getChildren(images[0]);
  assert.deepEqual(permissions.map((n) => presentNode(n, model, { '222222222222': 'prod' }).label), ['Public (all AWS accounts)', 'prod']);
});

test('profile nodes show the account ID once known; a failing profile gets one error child with retry, others keep working', async () => {
  const changes: Array<ExplorerNode[] | undefined> = [];
  const model = new ExplorerModel(fakeData({ failingProfiles: ['prod'] }), (nodes) => changes.push(nodes));
  const [dev, prod] = await model.getChildren();
  await waitFor(() => model.accountOf('dev')?.value !== undefined);
  assert.equal(presentNode(dev!, model, {}).description, '111111111111');
  const prodChildren = await model.getChildren(prod);
  assert.equal(prodChildren.length, 1);
  const [errorNode] = prodChildren;
  assert.equal(errorNode!.kind, 'message');
  const presented = presentNode(errorNode!, model, {});
  assert.match(presented.label, /explained: bad key/);
  assert.equal(presented.command?.command, 'amiSharing.refresh');
  assert.deepEqual(presented.command?.args, [{ nodeId: 'profile/prod' }]);
  assert.equal((await model.getChildren(dev)).length, 2, 'dev still lists its Regions');
});

test('an expired SSO session: the error child says to run aws sso login and offers to open a terminal for it', async () => {
  const data = fakeData({ failingProfiles: ['prod'] });
  data.explain = () => ({ message: 'The SSO session for profile "prod" has expired or was never started. Run "aws sso login --profile prod".', ssoLoginNeeded: true });
  const model = new ExplorerModel(data, () => undefined);
  const [, prod] = await model.getChildren();
  const [errorNode] = await model.getChildren(prod);
  const presented = presentNode(errorNode!, model, {});
  assert.match(presented.label, /aws sso login --profile prod/);
  assert.deepEqual(presented.command, { command: 'amiSharing.ssoLogin', title: 'Run aws sso login', args: [{ profile: 'prod' }] });
  assert.equal(presented.contextValue, 'message.retryable', 'the retry action stays available inline');
});

test('the first page is shown before the rest arrive, newest first, and the group refreshes as pages stream in', async () => {
  const changes: string[] = [];
  const pages = [[image('ami-a', '2026-01-01'), image('ami-b', '2026-03-01')], [image('ami-c', '2026-02-01')], [image('ami-d', '2026-04-01')]];
  const model = new ExplorerModel(fakeData({ pages }), (nodes) => changes.push(...(nodes ?? []).map((n) => n.id)));
  const group = (await model.getChildren((await model.getChildren((await model.getChildren())[0]))[0]))[0]!;
  const first = await model.getChildren(group);
  assert.deepEqual(first.map((n) => (n.kind === 'image' ? n.image.imageId : n.kind)), ['ami-b', 'ami-a', 'message']);
  await waitFor(() => changes.includes(group.id));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const all = await model.getChildren(group);
  assert.deepEqual(all.map((n) => (n.kind === 'image' ? n.image.imageId : n.kind)), ['ami-d', 'ami-b', 'ami-c', 'ami-a']);
});

test('share counts fill in from background permission lookups without blocking the listing', async () => {
  const changed: string[] = [];
  const model = new ExplorerModel(
    fakeData({ pages: [[image('ami-1', '2026-01-01'), image('ami-2', '2026-01-02'), image('ami-3', '2026-01-03', { isPublic: true })]], permissions: { 'ami-1': [{ UserId: '222222222222' }, { OrganizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' }], 'ami-3': [{ Group: 'all' }] } }),
    (nodes) => changed.push(...(nodes ?? []).map((n) => n.id)),
  );
  const group = (await model.getChildren((await model.getChildren((await model.getChildren())[0]))[0]))[0]!;
  const images = (await model.getChildren(group)) as ImageNode[];
  await waitFor(() => images.every((n) => model.permissionsOf('dev', 'us-east-1', n.image.imageId)?.value !== undefined));
  const descriptions = Object.fromEntries(images.map((n) => [n.image.imageId, presentNode(n, model, {}).description]));
  assert.deepEqual(descriptions, { 'ami-1': 'ami-1 · shared with 2', 'ami-2': 'ami-2 · private', 'ami-3': 'ami-3 · public' });
  await waitFor(() => changed.length > 0);
  assert.ok(changed.includes(images[0]!.id));
});

test('refreshing one image group reloads only that group', async () => {
  let listings = 0;
  const data = fakeData();
  const counting: ExplorerData = { ...data, listImages: (...args) => ((listings += 1), data.listImages(...args)) };
  const model = new ExplorerModel(counting, () => undefined);
  const region = (await model.getChildren((await model.getChildren())[0]))[0]!;
  const [owned, shared] = await model.getChildren(region);
  await model.getChildren(owned);
  await model.getChildren(shared);
  assert.equal(listings, 2);
  await model.getChildren(owned);
  assert.equal(listings, 2, 'cached');
  model.refresh(owned);
  await model.getChildren(owned);
  await model.getChildren(shared);
  assert.equal(listings, 3);
});

test('inline status: busy shows a spinner and temporary description, an error shows an error icon and reason', async () => {
  const model = new ExplorerModel(fakeData(), () => undefined);
  const group = (await model.getChildren((await model.getChildren((await model.getChildren())[0]))[0]))[0]!;
  const [node] = (await model.getChildren(group)) as ImageNode[];
  model.setStatus('dev', 'us-east-1', 'ami-1', { busy: 'Sharing…' });
  let presented = presentNode(node!, model, {});
  assert.equal(presented.icon?.id, 'loading~spin');
  assert.equal(presented.description, 'ami-1 · Sharing…');
  model.setStatus('dev', 'us-east-1', 'ami-1', { error: 'Not authorized' });
  presented = presentNode(node!, model, {});
  assert.equal(presented.icon?.id, 'error');
  assert.equal(presented.tooltip?.lines[0]?.text, 'Not authorized');
});

test('sharing label and icons tell private, shared, public, pending and failed apart', async () => {
  const base = image('ami-x', '2026-01-01');
  assert.equal(sharingLabel(base, []), 'private');
  assert.equal(sharingLabel(base, [{ UserId: '1' }, { OrganizationalUnitArn: 'ou' }]), 'shared with 2');
  assert.equal(sharingLabel(base, [{ Group: 'all' }, { UserId: '1' }]), 'public');
  assert.equal(sharingLabel(base, undefined), '…');
  const model = new ExplorerModel(fakeData(), () => undefined);
  const icon = (state: string) =>
    presentNode({ kind: 'image', id: 'x', profile: 'dev', region: 'r', owned: true, image: { ...base, state } }, model, {}).icon?.id;
  assert.equal(icon('pending'), 'clock');
  assert.equal(icon('failed'), 'error');
  assert.equal(icon('available'), 'lock');
});

test('an empty Region says so instead of showing nothing', async () => {
  const model = new ExplorerModel(fakeData({ pages: [[]] }), () => undefined);
  const group = (await model.getChildren((await model.getChildren((await model.getChildren())[0]))[0]))[0]!;
  const children = await model.getChildren(group);
  assert.equal(children.length, 1);
  assert.match(presentNode(children[0]!, model, {}).label, /No AMIs owned/);
});
