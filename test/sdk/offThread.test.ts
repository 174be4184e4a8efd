import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { DescribeImagesCommand, type DescribeImagesCommandInput, type Image } from '@aws-sdk/client-ec2';
import type { AwsActionError, AwsGateway } from '../../src/aws/gateway';
import { OffThreadSender } from '../../src/aws/offThread';
import { startSandbox, type Sandbox } from '../support/awsSandbox';

const DEV = { profile: 'dev', region: 'us-east-1' };
const byId = (images: Image[] | undefined) => [...(images ?? [])].sort((a, b) => (a.ImageId ?? '').localeCompare(b.ImageId ?? ''));

/** The worker path is the gateway's: the same request, answer, pacing and wording as on the main thread. */
describe('DescribeImages sent and parsed by the gateway\'s worker thread (parseOffThread)', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  beforeEach(() => sandbox.endpoint.reset());
  afterEach(() => sandbox.endpoint.faults.clear());
  after(async () => sandbox.close());

  const offThread = (gateway: AwsGateway, input: DescribeImagesCommandInput, signal?: AbortSignal) =>
    gateway.send(DEV, new DescribeImagesCommand(input), { parseOffThread: true, ...(signal ? { signal } : {}) });

  test('answers what the main thread answers, page by page', async () => {
    const gateway = sandbox.gateway();
    const here = await gateway.send(DEV, new DescribeImagesCommand({ Owners: ['self'], MaxResults: 5 }));
    const there = await offThread(gateway, { Owners: ['self'], MaxResults: 5 });
    assert.equal(there.Images?.length, 5);
    assert.ok(there.NextToken, 'a next page');
    assert.equal(typeof there.$metadata.requestId, 'string');
    const all = await gateway.send(DEV, new DescribeImagesCommand({ Owners: ['self'] }));
    const allThere = await offThread(gateway, { Owners: ['self'] });
    assert.deepEqual(byId(allThere.Images), byId(all.Images));
    assert.equal(here.Images?.length, 5);
  });

  test('EC2\'s errors keep their code, request ID and wording', async () => {
    await assert.rejects(offThread(sandbox.gateway(), { Owners: ['self'], MaxResults: 3 }), (error: AwsActionError) => {
      assert.equal(error.name, 'AwsActionError');
      assert.equal(error.code, 'InvalidParameterValue');
      assert.ok(error.described.requestId, 'the request ID survives the thread hop');
      return true;
    });
  });

  test('a throttle is retried with a token from the main thread\'s limiter, and reported to it', async () => {
    const gateway = sandbox.gateway();
    const acquired: string[] = [];
    const throttled: string[] = [];
    const acquire = gateway.limiter.acquire.bind(gateway.limiter);
    const throttle = gateway.limiter.throttled.bind(gateway.limiter);
    gateway.limiter.acquire = (profile, region, operation, ...rest) => {
      acquired.push(operation);
      return acquire(profile, region, operation, ...rest);
    };
    gateway.limiter.throttled = (profile, region, operation) => {
      throttled.push(operation);
      throttle(profile, region, operation);
    };
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'throttle', times: 2 });
    const output = await offThread(gateway, { Owners: ['self'] });
    assert.equal(output.$metadata.attempts, 3);
    assert.deepEqual(acquired, ['DescribeImages', 'DescribeImages', 'DescribeImages'], 'one token per attempt');
    assert.deepEqual(throttled, ['DescribeImages', 'DescribeImages']);
  });

  test('a throttling storm, malformed XML, a hang and a dropped connection read as on the main thread', async () => {
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'throttle', times: Infinity });
    await assert.rejects(offThread(sandbox.gateway({ maxAttempts: 2 }), { Owners: ['self'] }), /EC2 is throttling requests in dev \/ us-east-1/);
    sandbox.endpoint.faults.clear();
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'malformed-xml', times: Infinity });
    await assert.rejects(offThread(sandbox.gateway({ maxAttempts: 1 }), { Owners: ['self'] }), /not valid AWS XML|server error/);
    sandbox.endpoint.faults.clear();
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'hang', times: Infinity });
    await assert.rejects(offThread(sandbox.gateway({ maxAttempts: 1, requestTimeoutMs: 400 }), { Owners: ['self'] }), /timed out/);
    sandbox.endpoint.faults.clear();
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'close-connection', times: Infinity });
    await assert.rejects(offThread(sandbox.gateway({ maxAttempts: 1 }), { Owners: ['self'] }), /Could not reach the AWS endpoint/);
  });

  test('cancelling aborts the worker\'s request', async () => {
    sandbox.endpoint.faults.inject({ action: 'DescribeImages', kind: 'hang', times: Infinity });
    const controller = new AbortController();
    const pending = offThread(sandbox.gateway({ maxAttempts: 1 }), { Owners: ['self'] }, controller.signal);
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await assert.rejects(pending, (error: Error) => {
      assert.notEqual(error.name, 'AwsActionError', 'a cancellation is not reported as an AWS failure');
      return true;
    });
    assert.ok(Date.now() - started < 2_000, 'well before the 5 s request timeout');
  });
});

describe('OffThreadSender: a worker that dies or idles', () => {
  const request = { operation: 'DescribeImages' as const, input: {}, client: { key: 'k', profile: 'p', region: 'us-east-1', maxAttempts: 1, requestTimeoutMs: 1000 }, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
  const hooks = { beforeRetry: async () => undefined, onThrottle: () => undefined };

  test('a worker that fails to start fails its requests, and the next request starts a new one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'off-thread-'));
    const file = path.join(dir, 'broken.js');
    fs.writeFileSync(file, "throw new Error('broken worker');");
    const sender = new OffThreadSender(file);
    await assert.rejects(sender.send(request, hooks), /The AWS request worker stopped \(broken worker\)/);
    assert.equal(sender.running, false);
    await assert.rejects(sender.send(request, hooks), /stopped/);
    sender.dispose();
  });

  test('disposing fails what is in flight; an idle worker stops by itself', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'off-thread-'));
    const silent = path.join(dir, 'silent.js');
    // Answers nothing: the request stays in flight until disposed.
    fs.writeFileSync(silent, "require('node:worker_threads').parentPort.on('message', () => undefined);");
    const sender = new OffThreadSender(silent);
    const pending = sender.send(request, hooks);
    sender.dispose();
    await assert.rejects(pending, /stopped \(disposed\)/);
    const idle = new OffThreadSender(silent, 50);
    idle.warmUp();
    assert.equal(idle.running, true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(idle.running, false, 'stopped after 50 ms with nothing in flight');
  });
});
