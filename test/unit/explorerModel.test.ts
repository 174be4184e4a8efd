import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AwsTarget, ImageSummary, LaunchPermission, ProfileInfo } from '../../src/core/types';
import type { ExplorerData } from '../../src/tree/explorerData';
import { ExplorerModel, SHARE_COUNTS_IN_FLIGHT_PER_REGION } from '../../src/tree/explorerModel';
import { ImageStatusStore } from '../../src/tree/imageStatus';
import { LazyCache } from '../../src/tree/lazyCache';
import { isUnder, nodeIds, type ExplorerNode, type ImageNode } from '../../src/tree/nodes';
import { presentNode, sharingLabel } from '../../src/tree/presentation';
import { until } from '../support/poll';

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
    receivedCopy: async (_target, snapshotIds) => (snapshotIds.length ? { verdict: 'no', reason: `no createVolumePermission on ${snapshotIds.join(', ')}` } : { verdict: 'unknown', reason: 'no snapshots' }),
    launchPermissions: async (_target, imageId, priority) => {
      permissionCalls.push(`${imageId}:${priority}`);
      return options.permissions?.[imageId] ?? [];
    },
    explain: (error) => ({ message: `explained: ${(error as Error).message}`, ssoLoginNeeded: false }),
  };
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
  await until("dev's account ID known", () => model.accountOf('dev')?.value !== undefined);
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

test('every profile failing: the root has no rows (the welcome shows), each reason is kept, Refresh tries again', async () => {
  const failing = ['dev', 'prod'];
  const data = fakeData({ failingProfiles: failing });
  const model = new ExplorerModel(data, () => undefined);
  assert.deepEqual((await model.getChildren()).map((n) => n.id), ['profile/dev', 'profile/prod'], 'rows while the accounts are still loading');
  assert.equal(model.allProfilesFailed(), false);
  await until('both accounts failed', () => model.failedProfiles().length === 2);
  assert.equal(model.allProfilesFailed(), true);
  assert.deepEqual(model.failedProfiles(), [{ profile: 'dev', reason: 'explained: bad key' }, { profile: 'prod', reason: 'explained: bad key' }]);
  assert.deepEqual(await model.getChildren(), [], 'no rows: the "every profile failed" welcome takes their place');

  failing.splice(0, 1); // dev's credentials work again
  model.refresh();
  assert.equal(model.allProfilesFailed(), false, 'a refresh starts afresh');
  assert.deepEqual((await model.getChildren()).map((n) => n.id), ['profile/dev', 'profile/prod']);
  await until("dev's account ID known", () => model.accountOf('dev')?.value !== undefined);
  await until("prod's failure known", () => model.accountOf('prod')?.error !== undefined);
  assert.equal(model.allProfilesFailed(), false, 'one profile loading is enough for rows');
  assert.deepEqual((await model.getChildren()).map((n) => n.id), ['profile/dev', 'profile/prod']);
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
  await until('the group reported as changed', () => changes.includes(group.id));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const all = await model.getChildren(group);
  assert.deepEqual(all.map((n) => (n.kind === 'image' ? n.image.imageId : n.kind)), ['ami-d', 'ami-b', 'ami-c', 'ami-a']);
});

test('nodes keep their object while the content is the same (VS Code matches rows by identity), and only then', async () => {
  const data = fakeData();
  let listing = [image('ami-1', '2026-01-01'), image('ami-2', '2026-02-01')];
  data.listImages = async (_target, _group, onPage) => {
    onPage(listing, true);
    return listing;
  };
  const model = new ExplorerModel(data, () => undefined);
  const group = (await model.getChildren((await model.getChildren((await model.getChildren())[0]))[0]))[0]!;
  const before = await model.getChildren(group);
  const again = await model.getChildren(group);
  assert.ok(before.every((node, i) => node === again[i]), 'the same summaries: the same nodes');
  // Equal content in new objects (a fresh listing after a refresh) still keeps the rows.
  listing = listing.map((summary) => ({ ...summary }));
  model.refresh(group);
  const refreshed = await model.getChildren(group);
  assert.ok(before.every((node, i) => node === refreshed[i]), 'equal summaries: the same nodes');
  listing = [{ ...listing[0]!, name: 'renamed' }, listing[1]!];
  model.refresh(group);
  const renamed = await model.getChildren(group);
  const renamedNode = renamed.find((n) => n.kind === 'image' && n.image.imageId === 'ami-1');
  assert.notEqual(renamedNode, before.find((n) => n.kind === 'image' && n.image.imageId === 'ami-1'), 'changed content: a new node');
  assert.equal(renamed.find((n) => n.kind === 'image' && n.image.imageId === 'ami-2'), before.find((n) => n.kind === 'image' && n.image.imageId === 'ami-2'));
});

test('share counts fill in from background permission lookups without blocking the listing', async () => {
  const changed: string[] = [];
  const model = new ExplorerModel(
    fakeData({ pages: [[image('ami-1', '2026-01-01'), image('ami-2', '2026-01-02'), image('ami-3', '2026-01-03', { isPublic: true })]], permissions: { 'ami-1': [{ UserId: '222222222222' }, { OrganizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' }], 'ami-3': [{ Group: 'all' }] } }),
    (nodes) => changed.push(...(nodes ?? []).map((n) => n.id)),
  );
  const group = (await model.getChildren((await model.getChildren((await model.getChildren())[0]))[0]))[0]!;
  const images = (await model.getChildren(group)) as ImageNode[];
  await until('every share count filled in', () => images.every((n) => model.permissionsOf('dev', 'us-east-1', n.image.imageId)?.value !== undefined));
  const descriptions = Object.fromEntries(images.map((n) => [n.image.imageId, presentNode(n, model, {}).description]));
  assert.deepEqual(descriptions, { 'ami-1': 'ami-1 · shared with 2', 'ami-2': 'ami-2 · private', 'ami-3': 'ami-3 · public' });
  await until('a change reported', () => changed.length > 0);
  assert.ok(changed.includes(images[0]!.id));
});

test('a group builds its AMI nodes once per page: asking again starts no lookups and sorts nothing anew, filters still apply, a refresh starts over', async () => {
  const data = fakeData();
  const listing = [image('ami-1', '2026-01-01'), image('ami-3', '2026-03-01', { isPublic: true }), image('ami-2', '2026-02-01', { state: 'disabled' })];
  // The same array on every load: a refreshed group must still start its lookups again.
  data.listImages = async (_target, _group, onPage) => {
    onPage(listing, true);
    return listing;
  };
  const model = new ExplorerModel(data, () => undefined);
  const group = await ownedGroup(model);
  const ids = async () => ((await model.getChildren(group)) as ImageNode[]).map((n) => n.image.imageId);
  assert.deepEqual(await ids(), ['ami-3', 'ami-2', 'ami-1'], 'newest first');
  await until('every lookup started', () => data.permissionCalls.length === 3);
  const first = await model.getChildren(group);
  const again = await model.getChildren(group);
  assert.notEqual(first, again, 'each call gets its own array (callers may change it)');
  assert.ok(first.every((node, i) => node === again[i]));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(data.permissionCalls.length, 3, 'no lookup started twice');
  model.filterText = 'AMI-1';
  assert.deepEqual(await ids(), ['ami-1']);
  model.filterText = '';
  model.publicOnly = true;
  assert.deepEqual(await ids(), ['ami-3']);
  model.publicOnly = false;
  model.hideRetired = true;
  assert.deepEqual(await ids(), ['ami-3', 'ami-1']);
  model.hideRetired = false;
  assert.deepEqual(await ids(), ['ami-3', 'ami-2', 'ami-1']);
  model.refresh(group);
  assert.deepEqual(await ids(), ['ami-3', 'ami-2', 'ami-1']);
  await until('the lookups started again after the refresh', () => data.permissionCalls.length === 6);
  model.refresh();
  await ids();
  await until('and again after refreshing everything', () => data.permissionCalls.length === 9);
});

test('a big page keeps only a few share counts in flight per profile and Region, and starts every one of them in listing order', async () => {
  const count = SHARE_COUNTS_IN_FLIGHT_PER_REGION * 3 + 7;
  const page = Array.from({ length: count }, (_, i) => image(`ami-${String(i).padStart(3, '0')}`, '2026-01-01'));
  const data = fakeData({ pages: [page] });
  const answers: Array<() => void> = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const lookups = data.launchPermissions;
  data.launchPermissions = async (...args) => {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await new Promise<void>((resolve) => answers.push(resolve));
    inFlight -= 1;
    return lookups(...args);
  };
  const model = new ExplorerModel(data, () => undefined);
  const nodes = await model.getChildren(await ownedGroup(model));
  assert.equal(nodes.length, count);
  await until('the first lookups started', () => answers.length === SHARE_COUNTS_IN_FLIGHT_PER_REGION);
  // Answer them one at a time: each answer lets exactly one more start.
  for (let answered = 0; answered < count; answered++) {
    await until(`lookup ${answered + 1} started`, () => answers.length > answered);
    answers[answered]!();
  }
  await until('every share count in', () => nodes.every((n) => n.kind === 'image' && model.permissionsOf(n.profile, n.region, n.image.imageId)?.settled));
  assert.equal(mostInFlight, SHARE_COUNTS_IN_FLIGHT_PER_REGION);
  assert.deepEqual(data.permissionCalls, page.map((summary) => `${summary.imageId}:background`), 'in listing order, once each');
});

test('expanding an AMI whose share count is still queued looks it up at once, as the user\'s, and only once', async () => {
  const count = SHARE_COUNTS_IN_FLIGHT_PER_REGION + 5;
  const page = Array.from({ length: count }, (_, i) => image(`ami-${String(i).padStart(3, '0')}`, '2026-01-01'));
  const data = fakeData({ pages: [page] });
  const answers: Array<() => void> = [];
  const lookups = data.launchPermissions;
  data.launchPermissions = async (...args) => {
    if (args[2] === 'background') await new Promise<void>((resolve) => answers.push(resolve));
    return lookups(...args);
  };
  const model = new ExplorerModel(data, () => undefined);
  const nodes = await model.getChildren(await ownedGroup(model));
  await until('the lane is full', () => answers.length === SHARE_COUNTS_IN_FLIGHT_PER_REGION);
  const last = nodes.find((n) => n.kind === 'image' && n.image.imageId === page[count - 1]!.imageId)!;
  await model.getChildren(last);
  assert.ok(data.permissionCalls.includes(`${page[count - 1]!.imageId}:user`));
  for (const answer of answers.splice(0)) answer();
  await until('the rest started in the background, all but the one already looked up', () => answers.length === count - SHARE_COUNTS_IN_FLIGHT_PER_REGION - 1);
  for (const answer of answers.splice(0)) answer();
  await until('every lookup answered', () => data.permissionCalls.length === count);
  assert.equal(data.permissionCalls.filter((call) => call.startsWith(page[count - 1]!.imageId)).length, 1, 'not looked up again in the background');
});

test('refreshing one image group reloads only that group', async () => {
  let listings = 0;
  const data = fakeData();
  const counting: ExplorerData = { ...data, listImages: (...args) => {
      listings += 1;
      return data.listImages(...args);
    },
  };
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

async function ownedGroup(model: ExplorerModel): Promise<ExplorerNode> {
  return (await model.getChildren((await model.getChildren((await model.getChildren())[0]))[0]))[0]!;
}

test('the cache: one load per key, refreshing a subtree drops exactly that prefix, a late answer after a refresh reports nothing', async () => {
  const cache = new LazyCache();
  const changes: string[] = [];
  let calls = 0;
  let finish: (value: string) => void = () => undefined;
  const options = { explain: () => ({ message: 'no', ssoLoginNeeded: false }), onChange: () => changes.push('changed') };
  const slow = () => {
    calls += 1;
    return new Promise<string>((resolve) => {
      finish = resolve;
    });
  };
  const entry = cache.load('profile/dev', slow, options);
  assert.equal(cache.load('profile/dev', slow, options), entry, 'a second load of the same key joins the first');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(calls, 1);
  cache.set('profile/dev/region/us-east-1', 'blocked');
  cache.set('profile/dev2', 'other profile');
  cache.deleteUnder('profile/dev');
  assert.equal(cache.get('profile/dev'), undefined);
  assert.equal(cache.get('profile/dev/region/us-east-1'), undefined);
  assert.equal(cache.get<string>('profile/dev2')?.value, 'other profile', 'a sibling whose name starts the same is not under it');
  finish('111111111111');
  await entry.ready;
  assert.equal(entry.value, '111111111111', 'whoever awaited the dropped entry still gets its answer');
  assert.deepEqual(changes, [], 'but the view is not told about a dropped entry');
});

test('the cache: partial values resolve `ready` and are reported as first; a settle that brings nothing new is not reported', async () => {
  const cache = new LazyCache();
  const reports: Array<[string | undefined, boolean]> = [];
  const page = 'page 1';
  const entry = cache.load<string>(
    'g',
    async (partial) => {
      partial(page);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return page;
    },
    { explain: () => ({ message: 'no', ssoLoginNeeded: false }), onChange: (e, first) => reports.push([e.value, first]) },
  );
  await entry.ready;
  assert.equal(entry.value, 'page 1');
  assert.equal(entry.settled, false);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(entry.settled, true);
  assert.deepEqual(reports, [['page 1', true]]);
  const failed = cache.load('f', async () => Promise.reject(new Error('boom')), { explain: (e) => ({ message: `said: ${(e as Error).message}`, ssoLoginNeeded: true }) });
  await failed.ready;
  assert.deepEqual([failed.error, failed.ssoLoginNeeded, failed.settled], ['said: boom', true, true]);
});

test('node ids: one encoded key scheme, so a profile named like a path stays in its own subtree', () => {
  assert.equal(nodeIds.image('dev', 'us-east-1', 'owned', 'ami-1'), 'profile/dev/region/us-east-1/owned/ami-1');
  const tricky = nodeIds.profile('dev/region/us-east-1');
  assert.equal(isUnder(tricky, nodeIds.profile('dev')), false);
  assert.equal(isUnder(nodeIds.region('dev', 'eu-west-1'), nodeIds.profile('dev')), true);
  assert.equal(isUnder(nodeIds.profile('dev2'), nodeIds.profile('dev')), false);
});

test('the status store: a refresh forgets failures under the node but keeps the spinner of an action still running', () => {
  const store = new ImageStatusStore();
  store.set('profile/dev/region/r/owned/ami-1', { busy: 'Sharing…' });
  store.set('profile/dev/region/r/owned/ami-2', { error: 'denied' });
  store.set('profile/prod/region/r/owned/ami-3', { error: 'denied' });
  store.clearFailures('profile/dev');
  assert.deepEqual(store.get('profile/dev/region/r/owned/ami-1'), { busy: 'Sharing…' });
  assert.equal(store.get('profile/dev/region/r/owned/ami-2'), undefined);
  assert.deepEqual(store.get('profile/prod/region/r/owned/ami-3'), { error: 'denied' });
  store.clearFailures();
  assert.equal(store.get('profile/prod/region/r/owned/ami-3'), undefined);
  store.set('profile/dev/region/r/owned/ami-1', undefined);
  assert.equal(store.get('profile/dev/region/r/owned/ami-1'), undefined);
});

test('refreshing the tree keeps a running action visible and drops a failed one; setStatus and setPermissions repaint only that AMI', async () => {
  const changes: string[] = [];
  const model = new ExplorerModel(fakeData({ pages: [[image('ami-1', '2026-01-01'), image('ami-2', '2026-01-02')]] }), (nodes) => changes.push(...(nodes ?? [{ id: '*' } as ExplorerNode]).map((n) => n.id)));
  const [second, first] = (await model.getChildren(await ownedGroup(model))) as ImageNode[];
  model.setStatus('dev', 'us-east-1', 'ami-1', { busy: 'Sharing…' });
  model.setStatus('dev', 'us-east-1', 'ami-2', { error: 'denied' });
  await until('both AMIs reported as changed', () => changes.includes(first!.id) && changes.includes(second!.id));
  model.refresh();
  assert.deepEqual(model.statusOf('dev', 'us-east-1', 'ami-1'), { busy: 'Sharing…' });
  assert.equal(model.statusOf('dev', 'us-east-1', 'ami-2'), undefined);
  changes.length = 0;
  model.setPermissions('dev', 'us-east-1', 'ami-1', [{ UserId: '333333333333' }, { Group: 'all' }]);
  await until('a change reported', () => changes.length > 0);
  assert.deepEqual(changes, [first!.id]);
  assert.deepEqual(model.permissionsOf('dev', 'us-east-1', 'ami-1')?.value, [{ UserId: '333333333333' }, { Group: 'all' }]);
  const permissions = await model.getChildren(first);
  assert.deepEqual(permissions.map((n) => n.kind === 'permission' && n.permission), [{ Group: 'all' }, { UserId: '333333333333' }], 'sorted when listed: public first');
});

test('every child list goes through one helper: sorted, and errors become one retry item at any level', async () => {
  const data = fakeData({ permissions: { 'ami-1': [{ UserId: '9' }, { OrganizationalUnitArn: 'ou' }, { UserId: '1' }, { OrganizationArn: 'org' }, { Group: 'all' }] } });
  // The data may answer in any order: the tree orders profiles (default first) and AMIs (newest first) itself.
  data.profiles = async () => [{ name: 'zeta', credentialKind: 'static' }, { name: 'default', credentialKind: 'static' }, { name: 'alpha', credentialKind: 'static' }];
  data.regions = async (profile) => {
    if (profile === 'zeta') throw new Error('no config');
    return ['us-east-1'];
  };
  data.listImages = async (_target, group, onPage) => {
    const all = group === 'owned' ? [image('ami-1', '2026-01-01'), image('ami-3', '2026-03-01'), image('ami-2', '2026-02-01')] : [];
    onPage(all, true);
    return all;
  };
  const model = new ExplorerModel(data, () => undefined);
  const profiles = await model.getChildren();
  assert.deepEqual(profiles.map((n) => n.kind === 'profile' && n.profile.name), ['default', 'alpha', 'zeta']);
  const [zetaError] = await model.getChildren(profiles[2]);
  assert.deepEqual(zetaError, { kind: 'message', id: 'profile/zeta/error', severity: 'error', text: 'explained: no config', retryNodeId: 'profile/zeta' });
  const [owned, shared] = await model.getChildren((await model.getChildren(profiles[0]))[0]);
  const images = (await model.getChildren(owned)) as ImageNode[];
  assert.deepEqual(images.map((n) => n.image.imageId), ['ami-3', 'ami-2', 'ami-1']);
  const permissions = await model.getChildren(images[2]);
  assert.deepEqual(permissions.map((n) => presentNode(n, model, {}).label), ['Public (all AWS accounts)', 'org', 'ou', '1', '9']);
  const sharedChildren = await model.getChildren(shared);
  assert.deepEqual(sharedChildren.map((n) => [n.id, presentNode(n, model, {}).label]), [[`${shared!.id}/empty`, 'No AMIs shared with this account in this Region']]);
});

test('the root: a config that cannot be read is one error item that refreshes everything; no profiles leaves the view empty for its welcome text', async () => {
  const data = fakeData();
  data.profiles = async () => {
    throw new Error('bad ini');
  };
  const model = new ExplorerModel(data, () => undefined);
  const [errorNode] = await model.getChildren();
  const presented = presentNode(errorNode!, model, {});
  assert.match(presented.label, /Could not read the AWS config files: bad ini/);
  assert.deepEqual(presented.command, { command: 'amiSharing.refresh', title: 'Retry', args: [] });
  data.profiles = async () => [];
  model.refresh();
  assert.deepEqual(await model.getChildren(), []);
});

test('a listing that fails after its first page keeps the AMIs and ends with a retry item; an expired SSO session offers aws sso login there too', async () => {
  const data = fakeData();
  data.listImages = async (_target, _group, onPage) => {
    onPage([image('ami-1', '2026-01-01')], false);
    await new Promise((resolve) => setTimeout(resolve, 5));
    throw new Error('token expired');
  };
  data.explain = (error) => ({ message: `explained: ${(error as Error).message}`, ssoLoginNeeded: /token/.test((error as Error).message) });
  const changes: string[] = [];
  const model = new ExplorerModel(data, (nodes) => changes.push(...(nodes ?? []).map((n) => n.id)));
  const group = await ownedGroup(model);
  const first = await model.getChildren(group);
  assert.deepEqual(first.map((n) => (n.kind === 'message' ? n.severity : n.kind)), ['image', 'loading']);
  await until('the group reported as changed', () => changes.includes(group.id));
  const after = await model.getChildren(group);
  assert.deepEqual(after.map((n) => (n.kind === 'message' ? n.severity : n.kind)), ['image', 'error']);
  const presented = presentNode(after[1]!, model, {});
  assert.equal(presented.label, 'explained: token expired');
  assert.deepEqual(presented.command, { command: 'amiSharing.ssoLogin', title: 'Run aws sso login', args: [{ profile: 'dev' }] });
  assert.equal(presented.contextValue, 'message.retryable');
});

test('refresh from an error item (its inline retry button) refreshes the node it stands for', async () => {
  let fail = true;
  const data = fakeData();
  const listImages = data.listImages;
  data.listImages = async (...args) => {
    if (fail) throw new Error('HTTP 500');
    return listImages(...args);
  };
  const changes: Array<ExplorerNode[] | undefined> = [];
  const model = new ExplorerModel(data, (nodes) => changes.push(nodes));
  const group = await ownedGroup(model);
  const [errorNode] = await model.getChildren(group);
  assert.equal(errorNode!.kind, 'message');
  fail = false;
  model.refresh(errorNode);
  assert.deepEqual(changes.at(-1), [group], 'the group is repainted, not the error item');
  assert.deepEqual((await model.getChildren(group)).map((n) => n.kind), ['image']);
});

test('refreshing a collapsed owned AMI reloads its share count at once', async () => {
  let shares: LaunchPermission[] = [];
  const data = fakeData();
  data.launchPermissions = async () => shares;
  const model = new ExplorerModel(data, () => undefined);
  const [node] = (await model.getChildren(await ownedGroup(model))) as ImageNode[];
  await until("ami-1's permissions loaded", () => model.permissionsOf('dev', 'us-east-1', 'ami-1')?.value !== undefined);
  assert.equal(presentNode(node!, model, {}).description, 'ami-1 · private');
  shares = [{ UserId: '222222222222' }];
  model.refresh(node);
  await until('ami-1 shared with one account', () => model.permissionsOf('dev', 'us-east-1', 'ami-1')?.value?.length === 1);
  assert.equal(presentNode(node!, model, {}).description, 'ami-1 · shared with 1');
});

test('the public audit lists only public AMIs and says so when there are none', async () => {
  const model = new ExplorerModel(fakeData({ pages: [[image('ami-1', '2026-01-01'), image('ami-2', '2026-01-02', { isPublic: true })]] }), () => undefined);
  model.publicOnly = true;
  const group = await ownedGroup(model);
  assert.deepEqual(((await model.getChildren(group)) as ImageNode[]).map((n) => n.image.imageId), ['ami-2']);
  assert.equal(presentNode(group, model, {}).label, 'My public AMIs');
  assert.match(presentNode(group, model, {}).treeId ?? '', /^audit\//);
  const privateOnly = new ExplorerModel(fakeData({ pages: [[image('ami-1', '2026-01-01')]] }), () => undefined);
  privateOnly.publicOnly = true;
  const none = await privateOnly.getChildren(await ownedGroup(privateOnly));
  assert.deepEqual(none.map((n) => presentNode(n, privateOnly, {}).label), ['No public AMIs here']);
});

test('recipient verdicts: a check of every recipient replaces the summary, a check of some updates theirs only', () => {
  const model = new ExplorerModel(fakeData(), () => undefined);
  assert.equal(model.recipientSummaryOf('dev', 'us-east-1', 'ami-1'), undefined, 'nothing before a check');
  model.setRecipientVerdicts('dev', 'us-east-1', 'ami-1', [{ accountId: '222222222222', canLaunch: 'no' }, { accountId: '333333333333', canLaunch: 'yes' }], true);
  assert.equal(model.recipientSummaryOf('dev', 'us-east-1', 'ami-1'), '1 of 2 recipients can launch');
  model.setRecipientVerdicts('dev', 'us-east-1', 'ami-1', [{ accountId: '222222222222', canLaunch: 'yes' }], false);
  assert.equal(model.recipientSummaryOf('dev', 'us-east-1', 'ami-1'), '2 of 2 recipients can launch', 'one re-checked recipient keeps the others');
  model.setPermissions('dev', 'us-east-1', 'ami-1', [{ UserId: '333333333333' }]);
  assert.equal(model.recipientSummaryOf('dev', 'us-east-1', 'ami-1'), '1 of 1 recipient can launch', 'a removed recipient leaves the summary');
  model.setRecipientVerdicts('dev', 'us-east-1', 'ami-1', [{ accountId: '444444444444', canLaunch: 'unknown' }], true);
  assert.equal(model.recipientSummaryOf('dev', 'us-east-1', 'ami-1'), '0 of 1 recipient can launch (1 unknown)');
});

test('a shared-with-me AMI’s tooltip line says whether this account may copy it', async () => {
  const model = new ExplorerModel(fakeData(), () => undefined);
  const node: ImageNode = { kind: 'image', id: 'x', profile: 'prod', region: 'us-east-1', owned: false, image: image('ami-9', '2026-01-01', { snapshotIds: ['snap-1'] }) };
  assert.equal(await model.snapshotStatusLine(node), 'This account may copy it: no (no createVolumePermission on snap-1).');
});
