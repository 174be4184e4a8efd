import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { imageKeyOf } from '../../src/core/changes';
import { changeJson, hasDrift, planDrift, reconcilePlan, reconcileRequests, regionKey, type ObservedState } from '../../src/core/manifest/plan';
import type { SharingManifest, SharingPolicy } from '../../src/core/manifest/types';
import type { ImageSummary, LaunchPermission } from '../../src/core/types';

const A = { UserId: '111111111111' };
const B = { UserId: '222222222222' };
const C = { UserId: '333333333333' };
const ORG = { OrganizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' };
const PUBLIC = { Group: 'all' as const };

function image(imageId: string, name: string, extra: Partial<ImageSummary> = {}): ImageSummary {
  return { imageId, name, ownerId: '999999999999', state: 'available', isPublic: false, snapshotIds: [`snap-${imageId}`], anyEncrypted: false, ...extra };
}

function policy(extra: Partial<SharingPolicy> = {}): SharingPolicy {
  return { name: 'p', profile: 'dev', regions: ['us-east-1'], images: { namePattern: 'golden-*' }, share: { accounts: [A.UserId] }, ...extra };
}

interface Seeded {
  summary: ImageSummary;
  launch: LaunchPermission[];
  snapshot?: LaunchPermission[];
}

function observed(byRegion: Record<string, Seeded[]>): ObservedState {
  const state: ObservedState = { regions: new Map(), permissions: new Map() };
  for (const [region, seeded] of Object.entries(byRegion)) {
    state.regions.set(regionKey('dev', region), { images: seeded.map((s) => s.summary) });
    for (const s of seeded) {
      state.permissions.set(imageKeyOf({ profile: 'dev', region, imageId: s.summary.imageId }), {
        launch: s.launch,
        snapshots: new Map([[s.summary.snapshotIds[0]!, s.snapshot ?? []]]),
      });
    }
  }
  return state;
}

function drifts(manifest: SharingManifest, state: ObservedState) {
  return planDrift(manifest, state).flatMap((r) => r.regions.flatMap((g) => g.images));
}

describe('the policy planner', () => {
  test('namePattern globs and every tag must match, per Region', () => {
    const state = observed({
      'us-east-1': [
        { summary: image('ami-1', 'golden-1', { tags: { team: 'platform', env: 'prod' } }), launch: [] },
        { summary: image('ami-2', 'golden-2', { tags: { team: 'data' } }), launch: [] },
        { summary: image('ami-3', 'silver-1', { tags: { team: 'platform' } }), launch: [] },
        { summary: image('ami-4', 'golden-4'), launch: [] },
        { summary: image('ami-5', 'golden-5', { state: 'failed', tags: { team: 'platform' } }), launch: [] },
      ],
      'eu-west-1': [{ summary: image('ami-e', 'golden-e', { tags: { team: 'platform' } }), launch: [A] }],
    });
    const manifest = { policies: [policy({ regions: ['us-east-1', 'eu-west-1'], images: { namePattern: 'golden-*', tags: { team: 'platform' } } })] };
    const [report] = planDrift(manifest, state);
    assert.deepEqual(report!.regions.map((r) => [r.region, r.images.map((i) => i.imageId)]), [['us-east-1', ['ami-1']], ['eu-west-1', ['ami-e']]]);
    assert.deepEqual(report!.regions[0]!.images[0]!.missing, [A]);
    assert.equal(hasDrift(report!.regions[1]!.images[0]!), false, 'eu-west-1 already matches');
  });

  test('extra targets are drift only with exclusive; organizations and OUs are targets too', () => {
    const state = observed({ 'us-east-1': [{ summary: image('ami-1', 'golden-1'), launch: [A, B, ORG] }] });
    assert.equal(hasDrift(drifts({ policies: [policy()] }, state)[0]!), false);
    const [exclusive] = drifts({ policies: [policy({ exclusive: true })] }, state);
    assert.deepEqual(exclusive!.extra, [ORG, B]);
    assert.deepEqual(reconcileRequests(exclusive!, policy({ exclusive: true })), [
      { kind: 'launchPermissions', image: { profile: 'dev', region: 'us-east-1', imageId: 'ami-1', name: 'golden-1' }, add: [], remove: [ORG, B] },
    ]);
    const withOrg = drifts({ policies: [policy({ exclusive: true, share: { accounts: [A.UserId], organizations: [ORG.OrganizationArn] } })] }, state);
    assert.deepEqual(withOrg[0]!.extra, [B]);
  });

  test('public is false unless written true: a public AMI is drift, also without exclusive', () => {
    const state = observed({ 'us-east-1': [{ summary: image('ami-1', 'golden-1', { isPublic: true }), launch: [PUBLIC, A] }] });
    assert.deepEqual(drifts({ policies: [policy()] }, state)[0]!.extra, [PUBLIC]);
    assert.equal(hasDrift(drifts({ policies: [policy({ public: true })] }, state)[0]!), false);
    const missingPublic = drifts({ policies: [policy({ public: true })] }, observed({ 'us-east-1': [{ summary: image('ami-1', 'golden-1'), launch: [A] }] }));
    assert.deepEqual(missingPublic[0]!.missing, [PUBLIC]);
  });

  test('snapshots: true compares createVolumePermission with the policy; the request mirrors every listed account', () => {
    const p = policy({ snapshots: true, share: { accounts: [A.UserId, B.UserId], organizations: [ORG.OrganizationArn] } });
    const state = observed({ 'us-east-1': [{ summary: image('ami-1', 'golden-1'), launch: [A, B, ORG], snapshot: [A, C] }] });
    const [onlySnapshots] = drifts({ policies: [p] }, state);
    assert.deepEqual([onlySnapshots!.missing, onlySnapshots!.extra], [[], []], 'launch permissions match');
    assert.deepEqual(onlySnapshots!.snapshots, [{ snapshotId: 'snap-ami-1', missing: [B], extra: [] }], 'organizations never go on snapshots; C stays without exclusive');
    const [request] = reconcileRequests(onlySnapshots!, p);
    assert.deepEqual(request, { kind: 'launchPermissions', image: { profile: 'dev', region: 'us-east-1', imageId: 'ami-1', name: 'golden-1' }, add: [A, B, ORG], remove: [], snapshots: true });
    assert.deepEqual(changeJson(onlySnapshots!).snapshots, { add: [B], remove: [] });
    // Without snapshots: true the snapshots are not looked at.
    assert.equal(hasDrift(drifts({ policies: [{ ...p, snapshots: false }] }, state)[0]!), false);
  });

  test('exclusive removes snapshot-only extras with their own request', () => {
    const p = policy({ snapshots: true, exclusive: true });
    const state = observed({ 'us-east-1': [{ summary: image('ami-1', 'golden-1'), launch: [A], snapshot: [A, C] }] });
    const [drift] = drifts({ policies: [p] }, state);
    assert.deepEqual(drift!.snapshots, [{ snapshotId: 'snap-ami-1', missing: [], extra: [C] }]);
    assert.deepEqual(reconcileRequests(drift!, p), [{ kind: 'snapshotPermissions', image: { profile: 'dev', region: 'us-east-1', imageId: 'ami-1', name: 'golden-1' }, mode: { snapshotId: 'snap-ami-1', add: [], remove: [C] } }]);
  });

  test('two policies covering one AMI: an entry one lists is never removed by the other', () => {
    const state = observed({ 'us-east-1': [{ summary: image('ami-1', 'golden-1'), launch: [A, B, C] }] });
    const manifest = { policies: [policy({ name: 'x', exclusive: true }), policy({ name: 'y', images: { namePattern: 'golden-1' }, share: { accounts: [B.UserId] } })] };
    const [x, y] = drifts(manifest, state);
    assert.deepEqual(x!.extra, [C]);
    assert.deepEqual(y!.extra, []);
  });

  test('unreadable Regions and AMIs are reported, not planned', () => {
    const state = observed({ 'us-east-1': [{ summary: image('ami-1', 'golden-1'), launch: [] }] });
    state.permissions.set(imageKeyOf({ profile: 'dev', region: 'us-east-1', imageId: 'ami-1' }), { error: 'AccessDenied' });
    state.regions.set(regionKey('dev', 'eu-west-1'), { error: 'UnauthorizedOperation' });
    const [report] = planDrift({ policies: [policy({ regions: ['us-east-1', 'eu-west-1'] })] }, state);
    assert.equal(report!.regions[0]!.images[0]!.error, 'AccessDenied');
    assert.equal(report!.regions[1]!.error, 'UnauthorizedOperation');
    assert.deepEqual(reconcilePlan([report!]), []);
  });
});
