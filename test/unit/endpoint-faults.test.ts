import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DescribeImageAttributeCommand, DescribeImageReferencesCommand, DescribeImagesCommand, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ec2ClientFor, stsClientFor } from '../endpoint/clients';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import { startTestEndpoint, type TestEndpoint } from '../endpoint/server';
import { rejection } from '../support/rejectsWith';

const { dev, prod } = DEFAULT_ACCOUNTS;

let endpoint: TestEndpoint;

before(async () => {
  endpoint = await startTestEndpoint();
});

after(async () => {
  await endpoint.close();
});

beforeEach(() => endpoint.reset());


const describeOwn = new DescribeImagesCommand({ Owners: ['self'] });

describe('fault injection', () => {
  test('throttle: RequestLimitExceeded with HTTP 503, once by default', async () => {
    const ec2 = ec2ClientFor(endpoint.url, 'dev');
    endpoint.faults.inject({ kind: 'throttle', action: 'DescribeImages' });
    const error = await rejection(ec2.send(describeOwn));
    assert.equal(error.name, 'RequestLimitExceeded');
    assert.equal(error.$metadata?.httpStatusCode, 503);
    assert.equal(endpoint.stats.throttled, 1);
    await ec2.send(describeOwn);
    assert.equal(endpoint.requests.at(-2)?.fault, 'throttle');
  });

  test('faults can target one action and one account, and repeat until cleared', async () => {
    endpoint.faults.inject({ kind: 'throttle', accountId: prod.accountId, action: 'DescribeImages', times: Infinity });
    const devEc2 = ec2ClientFor(endpoint.url, 'dev');
    const prodEc2 = ec2ClientFor(endpoint.url, 'prod', 'us-east-1');
    await devEc2.send(describeOwn);
    for (let i = 0; i < 3; i++) {
      assert.equal((await rejection(prodEc2.send(describeOwn))).name, 'RequestLimitExceeded');
    }
    await prodEc2.send(new ModifyImageAttributeCommand({
      ImageId: endpoint.state.images({ accountId: prod.accountId }).find((i) => i.name === 'prod-base-al2023-2026-10-15')?.imageId,
      LaunchPermission: { Add: [{ UserId: dev.accountId }] },
    }));
    endpoint.faults.clear();
    await prodEc2.send(describeOwn);
  });

  test('HTML error pages from a proxy surface as HTTP errors', async () => {
    const ec2 = ec2ClientFor(endpoint.url, 'dev');
    endpoint.faults.inject({ kind: 'http500-html' });
    assert.equal((await rejection(ec2.send(describeOwn))).$metadata?.httpStatusCode, 500);
    endpoint.faults.inject({ kind: 'http503-html' });
    assert.equal((await rejection(ec2.send(describeOwn))).$metadata?.httpStatusCode, 503);
  });

  test('invalid-action: EC2’s InvalidAction (HTTP 400), as from a server without the action', async () => {
    const ec2 = ec2ClientFor(endpoint.url, 'dev');
    endpoint.faults.inject({ kind: 'invalid-action', action: 'DescribeImageReferences' });
    const imageId = endpoint.state.images({ accountId: dev.accountId })[0]!.imageId;
    const error = await rejection(ec2.send(new DescribeImageReferencesCommand({ ImageIds: [imageId], IncludeAllResourceTypes: true })));
    assert.equal(error.name, 'InvalidAction');
    assert.equal(error.$metadata?.httpStatusCode, 400);
    assert.match(error.message, /DescribeImageReferences is not valid/);
  });

  test('unauthorized: EC2’s UnauthorizedOperation (HTTP 403), as when IAM does not allow the action', async () => {
    const ec2 = ec2ClientFor(endpoint.url, 'dev');
    endpoint.faults.inject({ kind: 'unauthorized', action: 'DescribeImages' });
    const error = await rejection(ec2.send(describeOwn));
    assert.equal(error.name, 'UnauthorizedOperation');
    assert.equal(error.$metadata?.httpStatusCode, 403);
  });

  test('a fault can target one Attribute of DescribeImageAttribute (lastLaunchedTime, not launchPermission)', async () => {
    const ec2 = ec2ClientFor(endpoint.url, 'dev');
    const imageId = endpoint.state.images({ accountId: dev.accountId })[0]!.imageId;
    endpoint.faults.inject({ kind: 'invalid-action', action: 'DescribeImageAttribute', attribute: 'lastLaunchedTime', times: Infinity });
    await ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }));
    const error = await rejection(ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'lastLaunchedTime' })));
    assert.equal(error.name, 'InvalidAction');
  });

  test('malformed XML is a deserialization error', async () => {
    endpoint.faults.inject({ kind: 'malformed-xml' });
    const error = await rejection(ec2ClientFor(endpoint.url, 'dev').send(describeOwn));
    assert.match(error.message, /XML|parse|Deserialization/i);
  });

  test('hang: the client times out; close-connection: the socket drops', async () => {
    const ec2 = ec2ClientFor(endpoint.url, 'dev', 'us-east-1', {
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    endpoint.faults.inject({ kind: 'hang' });
    const started = Date.now();
    const timeout = await rejection(ec2.send(describeOwn));
    assert.equal(timeout.name, 'TimeoutError');
    assert.ok(Date.now() - started < 2000);
    assert.equal(endpoint.requests.at(-1)?.status, 0);

    endpoint.faults.inject({ kind: 'close-connection' });
    await rejection(ec2.send(describeOwn));
    assert.equal(endpoint.requests.at(-1)?.fault, 'close-connection');
    ec2.destroy();
  });

  test('expired-token: RequestExpired on EC2, ExpiredToken on STS', async () => {
    endpoint.faults.inject({ kind: 'expired-token', times: 2 });
    assert.equal((await rejection(ec2ClientFor(endpoint.url, 'dev').send(describeOwn))).name, 'RequestExpired');
    assert.equal((await rejection(stsClientFor(endpoint.url, 'dev').send(new GetCallerIdentityCommand({})))).name, 'ExpiredToken');
  });
});

describe('latency and throttling options', () => {
  test('latencyMs delays every request', async () => {
    const slow = await startTestEndpoint({ latencyMs: 150 });
    try {
      const started = Date.now();
      await ec2ClientFor(slow.url, 'dev').send(describeOwn);
      assert.ok(Date.now() - started >= 140);
    } finally {
      await slow.close();
    }
  });

  test('a request takes its token when it arrives, not after the latency (EC2 judges it at the door)', async () => {
    const slow = await startTestEndpoint({ latencyMs: 600, throttling: true });
    try {
      const answered = ec2ClientFor(slow.url, 'dev').send(describeOwn);
      // Still within the latency: the bucket already counts the request.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const buckets = (await (await fetch(`${slow.url}/__control/buckets`)).json()) as Record<string, { requests: number }>;
      assert.deepEqual(Object.entries(buckets).map(([key, usage]) => [key, usage.requests]), [[`${dev.accountId}/us-east-1/non-mutating`, 1]]);
      await answered;
    } finally {
      await slow.close();
    }
  });

  test('token buckets throttle one account and Region once its burst is spent', async () => {
    const throttled = await startTestEndpoint({ throttling: true });
    try {
      const devEc2 = ec2ClientFor(throttled.url, 'dev');
      // Non-mutating bucket: burst 100, refill 20/s. 200 calls at once overrun it by however much did not refill
      // while they arrived (measured, so a loaded machine that spreads them out still gets an exact bound).
      const started = performance.now();
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, () => devEc2.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 5 }))),
      );
      const seconds = (performance.now() - started) / 1000;
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.ok(rejected.length >= Math.min(100, 200 - 100 - Math.ceil(20 * seconds)), `throttled ${rejected.length} in ${seconds.toFixed(2)} s`);
      assert.ok(rejected.length > 0 || seconds > 5, `throttled ${rejected.length} in ${seconds.toFixed(2)} s`);
      assert.ok(rejected.every((r) => (r.reason as Error).name === 'RequestLimitExceeded'));
      assert.equal(throttled.stats.throttled, rejected.length);
      // Buckets are per account (and Region): prod and dev in eu-west-1 still have tokens.
      await ec2ClientFor(throttled.url, 'prod', 'us-east-1').send(describeOwn);
      await ec2ClientFor(throttled.url, 'dev', 'eu-west-1').send(describeOwn);
      devEc2.destroy();
    } finally {
      await throttled.close();
    }
  });
});
