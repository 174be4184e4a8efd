import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { imageKeyOf } from '../../src/core/changes';
import { csvField, matrixCsv } from '../../src/core/matrix/csv';
import { matrixDrift } from '../../src/core/matrix/drift';
import { membershipOf } from '../../src/core/matrix/membership';
import type { OrganizationDirectory } from '../../src/core/organizations';
import { buildMatrix, cellKey, cellOf, familyOf, pendingFrom, pendingPlan, prunePending, togglePending, type MatrixImage, type Pending } from '../../src/core/matrix/model';
import { matrixRequests } from '../../src/core/matrix/requests';
import { filterMatrix, regionsOf, visibleWindow } from '../../src/core/matrix/view';
import { planDrift, regionKey } from '../../src/core/manifest/plan';
import type { ImageSummary } from '../../src/core/types';
import { parseMatrixMessage } from '../../src/webview/matrixProtocol';

const A = { UserId: '111122223333' };
const B = { UserId: '444455556666' };
const ORG = { OrganizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' };
const OU = { OrganizationalUnitArn: 'arn:aws:organizations::111111111111:ou/o-abc123def4/ou-ab12-cdef3456' };
const PUBLIC = { Group: 'all' as const };

function image(imageId: string, name: string, extra: Partial<MatrixImage> = {}): MatrixImage {
  return { profile: 'dev', region: 'us-east-1', imageId, name, state: 'available', launch: [], ...extra };
}

const key = (i: MatrixImage) => imageKeyOf(i);

describe('sharing matrix model', () => {
  test('rows are grouped by family, profile and Region, newest first; columns are public, organizations, OUs, then named and other accounts', () => {
    const matrix = buildMatrix({
      images: [
        image('ami-1', 'golden-2026-11-01', { creationDate: '2026-11-01T00:00:00Z', launch: [B] }),
        image('ami-3', 'golden-2026-11-03', { creationDate: '2026-11-03T00:00:00Z', launch: [ORG] }),
        image('ami-2', 'base-1.0.2', { creationDate: '2026-11-02T00:00:00Z', launch: [OU] }),
        image('ami-4', 'golden-2026-11-04', { creationDate: '2026-11-04T00:00:00Z', region: 'eu-west-1' }),
      ],
      recipients: [A],
      accountNames: { [A.UserId]: 'workloads' },
    });
    assert.deepEqual(
      matrix.rows.map((r) => (r.kind === 'group' ? `[${r.region} ${r.family} ${r.count}]` : r.image.imageId)),
      ['[eu-west-1 golden 1]', 'ami-4', '[us-east-1 golden 2]', 'ami-3', 'ami-1', '[us-east-1 base 1]', 'ami-2'],
    );
    assert.deepEqual(matrix.columns.map((c) => c.label), ['public', 'o-abc123def4', 'ou-ab12-cdef3456', 'workloads', B.UserId]);
    assert.deepEqual(regionsOf(matrix), ['eu-west-1', 'us-east-1']);
    assert.equal(familyOf('no-version-here'), 'no-version-here');
  });

  test('a cell knows shared, covered through public or a known organization, snapshot permission and drift', () => {
    const shared = image('ami-1', 'x', { launch: [A, ORG], snapshots: [{ snapshotId: 's1', permissions: [A] }, { snapshotId: 's2', permissions: [] }] });
    const open = image('ami-2', 'y', { launch: [PUBLIC], snapshots: [{ snapshotId: 's3', permissions: [PUBLIC, B] }], drift: { policies: ['p'], wanted: [A], missing: [A], extra: [PUBLIC], snapshotMissing: [], snapshotExtra: [] } });
    const broken = image('ami-3', 'z', { error: 'AccessDenied' });
    const matrix = buildMatrix({ images: [shared, open, broken], recipients: [B], accountNames: {}, membership: { known: [ORG.OrganizationArn], members: { [B.UserId]: [ORG.OrganizationArn] } } });
    const col = (k: string) => matrix.columns.find((c) => c.key === k)!;
    assert.deepEqual(cellOf(matrix, shared, col('user:111122223333')), { shared: true, snapshots: 'some', wanted: false, unknown: false });
    assert.deepEqual(cellOf(matrix, shared, col('user:444455556666')).covered, { through: 'organization', by: ORG.OrganizationArn });
    assert.equal(cellOf(matrix, shared, col(`org:${ORG.OrganizationArn}`)).snapshots, 'none-needed', 'snapshots cannot be shared with an organization');
    const a = cellOf(matrix, open, col('user:111122223333'));
    assert.equal(a.drift, 'missing');
    assert.equal(a.wanted, true);
    assert.deepEqual(a.covered, { through: 'public', by: 'all' });
    assert.equal(cellOf(matrix, open, col('group:all')).drift, 'extra');
    assert.equal(cellOf(matrix, open, col('group:all')).snapshots, 'all');
    assert.equal(cellOf(matrix, open, col('user:444455556666')).snapshots, 'all', 'copy permission without launch permission shows too');
    assert.equal(cellOf(matrix, broken, col('group:all')).unknown, true);
    const noMembership = buildMatrix({ images: [shared], recipients: [B], accountNames: {} });
    assert.equal(cellOf(noMembership, shared, noMembership.columns.find((c) => c.key === 'user:444455556666')!).covered, 'maybe', 'membership unknown: maybe, never a guessed yes');
  });

  test('with a directory, an account is covered via an organization or OU exactly when it is in it; maybe only where membership is unknown', () => {
    const directory: OrganizationDirectory = {
      organizationId: 'o-abc123def4',
      organizationArn: ORG.OrganizationArn,
      managementAccountId: '111111111111',
      rootId: 'r-ab12',
      accounts: [
        { id: A.UserId, name: 'a', status: 'ACTIVE', unitPath: ['ou-ab12-cdef3456', 'ou-ab12-nested01'] },
        { id: B.UserId, name: 'b', status: 'ACTIVE', unitPath: [] },
      ],
      units: [
        { id: 'ou-ab12-cdef3456', arn: OU.OrganizationalUnitArn, name: 'Workloads', parentId: 'r-ab12' },
        { id: 'ou-ab12-nested01', arn: 'arn:aws:organizations::111111111111:ou/o-abc123def4/ou-ab12-nested01', name: 'Nested', parentId: 'ou-ab12-cdef3456' },
      ],
    };
    const membership = membershipOf([undefined, directory, directory]);
    assert.deepEqual(membership.members[A.UserId], [ORG.OrganizationArn, OU.OrganizationalUnitArn, directory.units[1]!.arn].sort(), 'nested OUs count; a directory read twice counts once');
    assert.deepEqual(membership.members[B.UserId], [ORG.OrganizationArn]);
    const OUTSIDER = { UserId: '999988887777' };
    const OTHER_OU = { OrganizationalUnitArn: 'arn:aws:organizations::222222222222:ou/o-zzz999zzz9/ou-zz99-zzzzzzzz' };
    const viaOu = image('ami-1', 'x', { launch: [OU] });
    const viaOrg = image('ami-2', 'y', { launch: [ORG] });
    const viaOther = image('ami-3', 'z', { launch: [OU, OTHER_OU] });
    const matrix = buildMatrix({ images: [viaOu, viaOrg, viaOther], recipients: [A, B, OUTSIDER], accountNames: { [OU.OrganizationalUnitArn]: 'Workloads' }, membership });
    const col = (k: string) => matrix.columns.find((c) => c.key === k)!;
    assert.equal(col(`ou:${OU.OrganizationalUnitArn}`).label, 'Workloads', 'a named OU column shows its name');
    assert.deepEqual(cellOf(matrix, viaOu, col(`user:${A.UserId}`)).covered, { through: 'organization', by: OU.OrganizationalUnitArn });
    assert.equal(cellOf(matrix, viaOu, col(`user:${B.UserId}`)).covered, undefined, 'in the organization but not under the OU: not covered, not maybe');
    assert.equal(cellOf(matrix, viaOu, col(`user:${OUTSIDER.UserId}`)).covered, undefined, 'outside the organization: not covered');
    assert.deepEqual(cellOf(matrix, viaOrg, col(`user:${B.UserId}`)).covered, { through: 'organization', by: ORG.OrganizationArn });
    assert.equal(cellOf(matrix, viaOrg, col(`user:${OUTSIDER.UserId}`)).covered, undefined);
    assert.equal(cellOf(matrix, viaOther, col(`user:${B.UserId}`)).covered, 'maybe', 'an OU of an organization nobody here reads stays maybe');
    assert.deepEqual(cellOf(matrix, viaOther, col(`user:${A.UserId}`)).covered, { through: 'organization', by: OU.OrganizationalUnitArn }, 'a known yes wins over an unknown');

    // Without every account's Paths, the organization is known but its OUs are not.
    const pathless = membershipOf([{ ...directory, accounts: [{ id: B.UserId, name: 'b', status: 'ACTIVE' }] }]);
    assert.deepEqual(pathless, { known: [ORG.OrganizationArn], members: { [B.UserId]: [ORG.OrganizationArn] } });
    const partial = buildMatrix({ images: [viaOu], recipients: [B], accountNames: {}, membership: pathless });
    assert.equal(cellOf(partial, viaOu, partial.columns.find((c) => c.key === `user:${B.UserId}`)!).covered, 'maybe');
  });

  test('toggles build a plan per AMI and become launch-permission requests for the one pipeline', () => {
    const one = image('ami-1', 'golden-1', { launch: [A] });
    const two = image('ami-2', 'golden-2');
    const broken = image('ami-3', 'golden-3', { error: 'AccessDenied' });
    const matrix = buildMatrix({ images: [one, two, broken], recipients: [B], accountNames: {} });
    let pending: Pending = new Map();
    pending = togglePending(matrix, pending, key(one), 'user:111122223333');
    pending = togglePending(matrix, pending, key(one), 'user:444455556666');
    pending = togglePending(matrix, pending, key(two), 'group:all');
    pending = togglePending(matrix, pending, key(broken), 'group:all');
    assert.equal(pending.size, 3, 'an unreadable AMI cannot be toggled');
    assert.equal(cellOf(matrix, one, matrix.columns.find((c) => c.key === 'user:111122223333')!, pending).pending, 'remove');
    assert.deepEqual(pendingPlan(matrix, pending).map((p) => [p.image.imageId, p.add, p.remove]), [
      ['ami-2', [PUBLIC], []],
      ['ami-1', [B], [A]],
    ]);
    assert.deepEqual(matrixRequests(matrix, pending, true), [
      { kind: 'launchPermissions', image: { profile: 'dev', region: 'us-east-1', imageId: 'ami-2', name: 'golden-2' }, add: [PUBLIC], remove: [], snapshots: true },
      { kind: 'launchPermissions', image: { profile: 'dev', region: 'us-east-1', imageId: 'ami-1', name: 'golden-1' }, add: [B], remove: [A], snapshots: true },
    ]);
    // After the read-back, toggles in effect are dropped.
    const after = buildMatrix({ images: [{ ...one, launch: [B] }, two, broken], recipients: [B], accountNames: {} });
    assert.deepEqual([...prunePending(after, pending).values()].map((t) => `${t.row.split('\u0000')[2]} ${t.column}`), ['ami-2 group:all']);
  });

  test('pendingFrom keeps only toggles of AMIs and recipients in the matrix', () => {
    const one = image('ami-1', 'golden-1');
    const matrix = buildMatrix({ images: [one], recipients: [], accountNames: {} });
    const pending = pendingFrom(matrix, [
      { row: key(one), column: 'group:all', action: 'add' },
      { row: key(image('ami-9', 'other')), column: 'group:all', action: 'add' },
      { row: key(one), column: 'user:999999999999', action: 'add' },
    ]);
    assert.deepEqual([...pending.keys()], [cellKey(key(one), 'group:all')]);
  });

  test('property: toggling the same cell twice leaves the plan empty, whatever was queued before', () => {
    const images = Array.from({ length: 6 }, (_, i) => image(`ami-${i}`, `golden-${i}`, { launch: i % 2 ? [A] : [], ...(i === 5 ? { error: 'x' } : {}) }));
    const matrix = buildMatrix({ images, recipients: [A, B, ORG], accountNames: {} });
    const cell = fc.record({ row: fc.constantFrom(...images.map(key)), column: fc.constantFrom(...matrix.columns.map((c) => c.key)) });
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 12 }), cell, (before, target) => {
        let pending: Pending = new Map();
        for (const c of before) pending = togglePending(matrix, pending, c.row, c.column);
        const start = pendingPlan(matrix, pending);
        const twice = togglePending(matrix, togglePending(matrix, pending, target.row, target.column), target.row, target.column);
        assert.deepEqual(pendingPlan(matrix, twice), start);
        let fromEmpty: Pending = new Map();
        fromEmpty = togglePending(matrix, togglePending(matrix, fromEmpty, target.row, target.column), target.row, target.column);
        assert.deepEqual(matrixRequests(matrix, fromEmpty, false), []);
      }),
    );
  });

  test('filter by name, Region and recipient keeps each shown AMI under its group', () => {
    const matrix = buildMatrix({
      images: [image('ami-1', 'golden-1', { launch: [A] }), image('ami-2', 'base-1', { region: 'eu-west-1' }), image('ami-3', 'golden-2', { region: 'eu-west-1' })],
      recipients: [B],
      accountNames: { [B.UserId]: 'Partner' },
    });
    const shown = filterMatrix(matrix, { text: 'GOLDEN', region: 'eu-west-1', recipient: 'partner' });
    assert.deepEqual(shown.rows.map((r) => (r.kind === 'group' ? `[${r.family}]` : r.image.imageId)), ['[golden]', 'ami-3']);
    assert.deepEqual(shown.columns.map((c) => c.detail), [B.UserId]);
    assert.equal(shown.imageCount, 1);
    assert.equal(filterMatrix(matrix, { text: 'ami-2' }).imageCount, 1, 'the AMI ID matches too');
  });

  test('the visible window covers the viewport plus overscan and never leaves the list', () => {
    assert.deepEqual(visibleWindow(1000, 0, 300, 24, 5), { start: 0, end: 19, offset: 0, totalHeight: 24_000 });
    assert.deepEqual(visibleWindow(1000, 2400, 300, 24, 5), { start: 95, end: 119, offset: 2280, totalHeight: 24_000 });
    assert.deepEqual(visibleWindow(10, 5000, 300, 24, 5), { start: 10, end: 10, offset: 240, totalHeight: 240 });
    fc.assert(
      fc.property(fc.nat(5000), fc.integer({ min: -100, max: 200_000 }), fc.nat(2000), fc.integer({ min: 1, max: 60 }), fc.nat(20), (rows, top, height, rowHeight, overscan) => {
        const w = visibleWindow(rows, top, height, rowHeight, overscan);
        assert.ok(w.start >= 0 && w.start <= w.end && w.end <= rows);
        const firstInView = Math.floor(Math.max(0, top) / rowHeight);
        const lastInView = Math.min(rows, Math.ceil((Math.max(0, top) + height) / rowHeight));
        if (firstInView < rows) assert.ok(w.start <= firstInView && w.end >= lastInView, 'every row in the viewport is drawn');
      }),
    );
  });

  test('CSV: one line per shown AMI, cell words, quoting, and no formula from a hostile AMI name', () => {
    const one = image('ami-1', '=HYPERLINK("http://x","y"),evil', { launch: [A], snapshots: [{ snapshotId: 's', permissions: [A] }], creationDate: '2026-11-01T00:00:00Z' });
    const matrix = buildMatrix({ images: [one], recipients: [], accountNames: { [A.UserId]: 'Work, loads' } });
    const csv = matrixCsv(matrix, filterMatrix(matrix, {}));
    const hostile = `"'=HYPERLINK(""http://x"",""y""),evil"`;
    assert.equal(csv, `profile,region,family,imageId,name,creationDate,public,"Work, loads (111122223333)"\r\ndev,us-east-1,${hostile},ami-1,${hostile},2026-11-01T00:00:00Z,,shared+snapshots\r\n`);
    assert.equal(csvField('-1'), "'-1");
    assert.equal(csvField('plain'), 'plain');
  });

  test('matrixDrift folds the planner\'s drift of every policy covering an AMI', () => {
    const summary: ImageSummary = { imageId: 'ami-1', name: 'golden-1', ownerId: '1', state: 'available', isPublic: false, snapshotIds: ['s1'], anyEncrypted: false };
    const reports = planDrift(
      { policies: [{ name: 'p', profile: 'dev', regions: ['us-east-1'], images: { namePattern: 'golden-*' }, share: { accounts: [A.UserId] }, snapshots: true }] },
      { regions: new Map([[regionKey('dev', 'us-east-1'), { images: [summary] }]]), permissions: new Map([[imageKeyOf({ profile: 'dev', region: 'us-east-1', imageId: 'ami-1' }), { launch: [PUBLIC], snapshots: new Map([['s1', []]]) }]]) },
    );
    const drift = matrixDrift(reports).get(imageKeyOf({ profile: 'dev', region: 'us-east-1', imageId: 'ami-1' }))!;
    assert.deepEqual(drift, { policies: ['p'], wanted: [A], missing: [A], extra: [PUBLIC], snapshotMissing: [A], snapshotExtra: [] });
  });
});

describe('matrix protocol (the webview is untrusted)', () => {
  test('accepts exactly the protocol shapes', () => {
    assert.deepEqual(parseMatrixMessage({ type: 'ready' }), { message: { type: 'ready' } });
    const toggles = [{ row: 'dev\u0000us-east-1\u0000ami-1', column: 'user:111122223333', action: 'add' }];
    assert.deepEqual(parseMatrixMessage({ type: 'apply', requestId: 3, toggles, snapshots: false }), { message: { type: 'apply', requestId: 3, toggles, snapshots: false } });
    assert.deepEqual(parseMatrixMessage({ type: 'exportCsv', requestId: 1, filter: { text: 'g' } }), { message: { type: 'exportCsv', requestId: 1, filter: { text: 'g' } } });
  });

  test('rejects unknown fields, bad recipients, bad actions and missing request ids', () => {
    const row = 'dev\u0000us-east-1\u0000ami-1';
    for (const raw of [
      null,
      [],
      { type: 'ready', extra: 1 },
      { type: 'apply', requestId: 1, toggles: [], snapshots: false },
      { type: 'apply', requestId: 1, toggles: [{ row, column: 'user:123', action: 'add' }], snapshots: false },
      { type: 'apply', requestId: 1, toggles: [{ row, column: 'group:everyone', action: 'add' }], snapshots: false },
      { type: 'apply', requestId: 1, toggles: [{ row, column: 'user:111122223333', action: 'set' }], snapshots: false },
      { type: 'apply', requestId: 1, toggles: [{ row, column: 'user:111122223333', action: 'add', html: '<b>' }], snapshots: false },
      { type: 'apply', toggles: [{ row, column: 'user:111122223333', action: 'add' }], snapshots: false },
      { type: 'apply', requestId: -1, toggles: [{ row, column: 'user:111122223333', action: 'add' }], snapshots: 'yes' },
      { type: 'exportCsv', requestId: 1, filter: { text: 1 } },
      { type: 'exportCsv', requestId: 1, filter: { sql: 'x' } },
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
    ]) {
      assert.ok('rejected' in parseMatrixMessage(raw), JSON.stringify(raw));
    }
  });
});
