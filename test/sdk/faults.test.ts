import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { AwsActionError } from '../../src/aws/gateway';
import { listImages } from '../../src/aws/images';
import { changeOne } from '../support/pipelineHost';
import { startSandbox, type Sandbox } from '../support/awsSandbox';

const DEV = { profile: 'dev', region: 'us-east-1' };

describe('faults from the endpoint become clear messages, with no silent partial state', () => {
  let sandbox: Sandbox;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  before(async () => {
    sandbox = await startSandbox();
    process.on('unhandledRejection', onUnhandled);
  });
  beforeEach(() => sandbox.endpoint.reset());
  afterEach(() => assert.deepEqual(unhandled, [], 'no unhandled promise rejection'));
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await sandbox.close();
  });

  const failsWith = async (promise: Promise<unknown>, pattern: RegExp) =>
    assert.rejects(promise, (error: AwsActionError) => {
      assert.match(error.message, pattern);
      return true;
    });

  test('a throttling storm is retried; when it never ends the user reads that EC2 is throttling', async () => {
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'throttle', times: 2 });
    assert.equal((await listImages(sandbox.gateway(), DEV, 'owned')).length, 7);
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'throttle', times: Infinity });
    await failsWith(listImages(sandbox.gateway({ maxAttempts: 2 }), DEV, 'owned'), /EC2 is throttling requests in dev \/ us-east-1/);
  });

  test('500 and 503 with HTML bodies: retried, then a server-error message', async () => {
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'http500-html', times: 1 });
    assert.equal((await listImages(sandbox.gateway(), DEV, 'owned')).length, 7, 'one 500 is retried');
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'http503-html', times: Infinity });
    await failsWith(listImages(sandbox.gateway({ maxAttempts: 2 }), DEV, 'owned'), /server error \(HTTP 503\)|throttling/);
    sandbox.endpoint.faults.clear();
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'http500-html', times: Infinity });
    await failsWith(listImages(sandbox.gateway({ maxAttempts: 2 }), DEV, 'owned'), /server error \(HTTP 500\)/);
  });

  test('malformed XML says the endpoint is not speaking AWS XML', async () => {
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'malformed-xml', times: Infinity });
    await failsWith(listImages(sandbox.gateway({ maxAttempts: 1 }), DEV, 'owned'), /not valid AWS XML|server error/);
  });

  test('a hung request times out instead of spinning forever', async () => {
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'hang', times: Infinity });
    const started = Date.now();
    await failsWith(listImages(sandbox.gateway({ maxAttempts: 1, requestTimeoutMs: 400 }), DEV, 'owned'), /timed out/);
    assert.ok(Date.now() - started < 5_000);
  });

  test('a dropped connection is a network message', async () => {
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'close-connection', times: Infinity });
    await failsWith(listImages(sandbox.gateway({ maxAttempts: 1 }), DEV, 'owned'), /Could not reach the AWS endpoint/);
  });

  test('credentials expiring mid-action: the share fails with a reason and nothing changes', async () => {
    const gateway = sandbox.gateway({ maxAttempts: 1 });
    const [image] = (await listImages(gateway, DEV, 'owned')).filter((i) => i.name === 'golden-al2023-2026-11-01');
    sandbox.endpoint.faults.inject({ action: 'ModifyImageAttribute', kind: 'expired-token', times: 1 });
    const result = await changeOne(gateway, image!.imageId, [{ UserId: '444444444444' }], []);
    assert.equal(result.ok, false);
    assert.match(result.error!, /expired/);
    const record = sandbox.endpoint.state.image('us-east-1', image!.imageId);
    assert.deepEqual(record?.launchPermissions, []);
  });

  test('a credential_process that hangs times out for that profile only; other profiles keep working', async () => {
    fs.appendFileSync(process.env.AWS_CONFIG_FILE!, `\n[profile hanging]\nregion = us-east-1\ncredential_process = ${process.execPath} -e "setTimeout(() => {}, 4000)"\n`);
    const gateway = sandbox.gateway({ credentialTimeoutMs: 700 });
    const started = Date.now();
    await assert.rejects(gateway.accountId('hanging'), (error: AwsActionError) => {
      assert.match(error.message, /Could not get credentials for profile "hanging": Getting credentials took longer than 1 s/);
      assert.equal(error.described.credentialProblem, true);
      return true;
    });
    assert.ok(Date.now() - started < 5_000);
    assert.equal(await gateway.accountId('dev'), '111111111111');
  });
});
