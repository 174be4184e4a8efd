import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitForAvailable } from '../../src/aws/copyImage';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_REQUEST_TIMEOUT_MS } from '../../src/aws/gateway';
import { listImages } from '../../src/aws/images';
import { startSandbox, type Sandbox } from '../support/awsSandbox';

const DEV = { profile: 'dev', region: 'us-east-1' };

describe('bounded waits with the default settings', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => sandbox.close());

  test('a hung endpoint becomes an error within 30 s (request timeout × attempts), not after minutes', async () => {
    const gateway = sandbox.gateway();
    await gateway.accountId('dev');
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'hang', times: Infinity });
    const started = Date.now();
    await assert.rejects(listImages(gateway, DEV, 'owned'), /timed out|time/i);
    const seconds = (Date.now() - started) / 1000;
    // The bound is the product of the defaults, checked as such; the elapsed time is only a sanity check.
    assert.ok(DEFAULT_REQUEST_TIMEOUT_MS * DEFAULT_MAX_ATTEMPTS < 30_000);
    assert.equal(sandbox.endpoint.requests.filter((r) => r.action === 'DescribeImages').length, DEFAULT_MAX_ATTEMPTS, 'each attempt timed out once');
    assert.ok(seconds < 90, `took ${seconds.toFixed(1)} s`);
    sandbox.endpoint.reset();
  });

  test('cancelling a wait for a copy stops its timer at once', async () => {
    const gateway = sandbox.gateway();
    const controller = new AbortController();
    const [image] = await listImages(gateway, DEV, 'owned');
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'hang', times: Infinity });
    const waiting = waitForAvailable(gateway, 'dev', 'us-east-1', image!.imageId, { signal: controller.signal, initialDelayMs: 60_000 });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(waiting, (error: Error) => error.name === 'CancelledError' || /abort|cancel/i.test(error.message));
    sandbox.endpoint.reset();
  });
});
