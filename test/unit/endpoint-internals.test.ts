import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bucketFor, TokenBucket } from '../endpoint/buckets';
import { wildcardPattern } from '../endpoint/ec2/filters';
import { defaultFixture, generatedFixture } from '../endpoint/fixture/fixture';
import { QueryParams } from '../endpoint/query';
import { EndpointState } from '../endpoint/state';
import { ORGANIZATION_ARN, ORGANIZATIONAL_UNIT_ARN } from '../endpoint/ec2/validation';
import { escapeXml, node, text } from '../endpoint/xml';

describe('xml', () => {
  test('escapes every text value', () => {
    assert.equal(escapeXml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    assert.equal(node('item', text('name', 'a<b')), '<item><name>a&lt;b</name></item>');
    assert.equal(text('name', undefined), '');
  });
});

describe('query parameters', () => {
  test('lists and structured members are ordered by their number', () => {
    const params = QueryParams.fromSearchParams(
      new URLSearchParams('Owner.2=b&Owner.1=a&Filter.2.Name=state&Filter.2.Value.1=x&Filter.1.Name=name&Filter.1.Value.2=z&Filter.1.Value.1=y'),
    );
    assert.deepEqual(params.list('Owner'), ['a', 'b']);
    const filters = params.members('Filter');
    assert.deepEqual(
      filters.map((f) => [f.get('Name'), f.list('Value')]),
      [
        ['name', ['y', 'z']],
        ['state', ['x']],
      ],
    );
  });
});

describe('filters', () => {
  test('wildcards: * and ? only; other characters are literal', () => {
    assert.ok(wildcardPattern('golden-*').test('golden-al2023'));
    assert.ok(wildcardPattern('a?c').test('abc'));
    assert.ok(!wildcardPattern('a.c').test('abc'));
    assert.ok(!wildcardPattern('golden').test('golden-al2023'));
  });
});

describe('validation', () => {
  test('organization and OU ARN formats from the notes', () => {
    assert.ok(ORGANIZATION_ARN.test('arn:aws:organizations::111111111111:organization/o-abc123def4'));
    assert.ok(!ORGANIZATION_ARN.test('arn:aws:organizations::111111111111:organization/o-abc'));
    assert.ok(ORGANIZATIONAL_UNIT_ARN.test('arn:aws:organizations::111111111111:ou/o-abc123def4/ou-ab12-cdef3456'));
    assert.ok(!ORGANIZATIONAL_UNIT_ARN.test('arn:aws:organizations::111111111111:ou/o-abc123def4/ou-ab12'));
  });
});

describe('token buckets', () => {
  test('burst, then refill over time', () => {
    let now = 0;
    const bucket = new TokenBucket({ burst: 3, refillPerSecond: 2 }, () => now);
    assert.ok(bucket.tryTake() && bucket.tryTake() && bucket.tryTake());
    assert.ok(!bucket.tryTake());
    now += 499;
    assert.ok(!bucket.tryTake());
    now += 1;
    assert.ok(bucket.tryTake());
    now += 60_000;
    assert.equal(bucket.available(), 3);
  });

  test('the usage it reports: refill lost while full (only once a request follows) and tokens left at the last request', () => {
    let now = 0;
    const bucket = new TokenBucket({ burst: 3, refillPerSecond: 2 }, () => now);
    now += 1000;
    assert.ok(bucket.tryTake(), 'full for a second: 2 tokens of refill lost');
    assert.ok(bucket.tryTake());
    now += 250;
    assert.ok(bucket.tryTake(), '1 + 0.5 tokens: nothing lost');
    now += 10_000;
    const usage = bucket.usage();
    assert.equal(usage.requests, 3);
    assert.equal(usage.overflowedTokens, 2, 'the idle time after the last request is not counted');
    assert.deepEqual(usage.overflowBySecond, [0, 2]);
    assert.equal(usage.tokensAtLastRequest, 0.5);
    assert.equal(usage.lastRequestAt - usage.firstRequestAt, 1250);
  });

  test('actions map to the buckets in the notes', () => {
    const none = QueryParams.fromSearchParams(new URLSearchParams('Action=DescribeImages&Version=2016-11-15'));
    const paged = QueryParams.fromSearchParams(new URLSearchParams('Action=DescribeImages&MaxResults=5'));
    assert.equal(bucketFor('DescribeImages', none), 'unfiltered-non-mutating');
    assert.equal(bucketFor('DescribeImages', paged), 'non-mutating');
    assert.equal(bucketFor('DescribeImageAttribute', none), 'non-mutating');
    assert.equal(bucketFor('ModifyImageAttribute', none), 'ModifyImageAttribute');
    assert.equal(bucketFor('ModifySnapshotAttribute', none), 'ModifySnapshotAttribute');
    assert.equal(bucketFor('CopyImage', none), 'CopyImage');
    assert.equal(bucketFor('ResetImageAttribute', none), 'mutating');
  });
});

describe('fixtures and state', () => {
  test('default fixture: deterministic ids in EC2 format, every AMI snapshot exists', () => {
    const a = defaultFixture();
    const b = defaultFixture();
    assert.deepEqual(a, b);
    for (const account of a.accounts) {
      for (const image of account.images) {
        assert.match(image.imageId, /^ami-[0-9a-f]{17}$/);
        for (const mapping of image.blockDeviceMappings) {
          assert.ok(account.snapshots.some((s) => s.snapshotId === mapping.snapshotId && s.region === image.region));
        }
      }
    }
  });

  test('generated fixture: sizes, unique ids, at most 5 public AMIs per account and Region', () => {
    const fixture = generatedFixture({ accounts: 4, regions: 3, imagesPerRegion: 250 });
    assert.deepEqual(fixture.regions, ['us-east-1', 'eu-west-1', 'us-east-2']);
    const images = fixture.accounts.flatMap((a) => a.images);
    assert.equal(images.length, 4 * 3 * 250);
    assert.equal(new Set(images.map((i) => i.imageId)).size, images.length);
    assert.equal(fixture.accounts[0]?.accessKeys[0]?.accessKeyId, 'AKIADEV0000000000001');
    for (const account of fixture.accounts) {
      for (const region of fixture.regions) {
        const publicCount = account.images.filter((i) => i.region === region && i.launchPermissions.some((p) => p.Group === 'all')).length;
        assert.ok(publicCount <= 5);
      }
    }
  });

  test('reset and clone are independent of later changes', () => {
    const state = new EndpointState(defaultFixture());
    const image = state.images({ region: 'us-east-1' })[0];
    assert.ok(image);
    const copy = state.clone();
    image.launchPermissions = [{ UserId: '999999999999' }];
    assert.notDeepEqual(copy.image('us-east-1', image.imageId)?.launchPermissions, image.launchPermissions);
    state.reset();
    assert.deepEqual(state.image('us-east-1', image.imageId)?.launchPermissions, copy.image('us-east-1', image.imageId)?.launchPermissions);
  });
});
