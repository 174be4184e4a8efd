import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  ListAliasesCommand,
  ListKeyPoliciesCommand,
  ListKeysCommand,
  PutKeyPolicyCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { kmsClientFor } from '../endpoint/clients';
import type { ControlKeyView } from '../endpoint/control/control';
import { DEFAULT_ACCOUNTS, DEFAULT_KMS_KEYS, DEFAULT_ORGANIZATION } from '../endpoint/fixture/defaultFixture';
import { startTestEndpoint, type TestEndpoint } from '../endpoint/server';
import { rejectsWith } from '../support/rejectsWith';

const { dev, prod, external } = DEFAULT_ACCOUNTS;

let endpoint: TestEndpoint;
let devKms: KMSClient;
let prodKms: KMSClient;

before(async () => {
  endpoint = await startTestEndpoint();
  devKms = kmsClientFor(endpoint.url, 'dev');
  prodKms = kmsClientFor(endpoint.url, 'prod', 'us-east-1');
});

after(async () => {
  devKms.destroy();
  prodKms.destroy();
  await endpoint.close();
});

beforeEach(() => endpoint.reset());

const keyIdOf = (arn: string): string => arn.split('/').pop() ?? '';

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string;
  Condition?: Record<string, Record<string, unknown>>;
}

async function policyOf(client: KMSClient, keyId: string): Promise<{ Statement: Statement[] }> {
  const result = await client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
  return JSON.parse(result.Policy ?? '') as { Statement: Statement[] };
}

function principalsOf(statement: Statement): string[] {
  const aws = (statement.Principal as { AWS?: string | string[] } | undefined)?.AWS;
  return aws === undefined ? [] : Array.isArray(aws) ? aws : [aws];
}

const rootOf = (accountId: string): string => `arn:aws:iam::${accountId}:root`;

function ownerOnlyPolicy(ownerId: string, extra: Statement[] = []): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: rootOf(ownerId) }, Action: 'kms:*', Resource: '*' },
      ...extra,
    ],
  });
}

describe('KMS DescribeKey', () => {
  test('finds a key by id, key ARN, alias name and alias ARN', async () => {
    const arn = DEFAULT_KMS_KEYS.devGoldenUs;
    const references = [keyIdOf(arn), arn, 'alias/golden-images', `arn:aws:kms:us-east-1:${dev.accountId}:alias/golden-images`];
    for (const KeyId of references) {
      const { KeyMetadata } = await devKms.send(new DescribeKeyCommand({ KeyId }));
      assert.equal(KeyMetadata?.Arn, arn, KeyId);
      assert.equal(KeyMetadata?.KeyId, keyIdOf(arn));
    }
    const { KeyMetadata } = await devKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenUs }));
    assert.equal(KeyMetadata?.AWSAccountId, dev.accountId);
    assert.equal(KeyMetadata?.KeyManager, 'CUSTOMER');
    assert.equal(KeyMetadata?.KeyState, 'Enabled');
    assert.equal(KeyMetadata?.Enabled, true);
    assert.equal(KeyMetadata?.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(KeyMetadata?.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.ok(KeyMetadata?.Description);
    assert.ok(KeyMetadata?.CreationDate instanceof Date && !Number.isNaN(KeyMetadata.CreationDate.getTime()));
  });

  test('the aws/ebs key is AWS managed; snapshot keys are real keys', async () => {
    const ebs = await devKms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/ebs' }));
    assert.equal(ebs.KeyMetadata?.KeyManager, 'AWS');
    assert.equal(ebs.KeyMetadata?.Arn, DEFAULT_KMS_KEYS.devAwsEbsUs);
    const snapshotKeys = new Set(endpoint.state.snapshots().flatMap((s) => (s.kmsKeyId ? [s.kmsKeyId] : [])));
    for (const arn of snapshotKeys) {
      const region = arn.split(':')[3] ?? '';
      const owner = arn.split(':')[4] === prod.accountId ? 'prod' : 'dev';
      const { KeyMetadata } = await kmsClientFor(endpoint.url, owner, region).send(new DescribeKeyCommand({ KeyId: arn }));
      assert.equal(KeyMetadata?.Arn, arn);
    }
  });

  test('alias/aws/ebs of a Region without the key yet creates the AWS managed key, as KMS does', async () => {
    const eu = kmsClientFor(endpoint.url, 'dev', 'eu-west-1');
    const before = await eu.send(new ListAliasesCommand({}));
    const predefined = before.Aliases?.find((a) => a.AliasName === 'alias/aws/ebs');
    assert.ok(predefined);
    assert.equal(predefined.TargetKeyId, undefined);
    const { KeyMetadata } = await eu.send(new DescribeKeyCommand({ KeyId: 'alias/aws/ebs' }));
    assert.equal(KeyMetadata?.KeyManager, 'AWS');
    assert.match(KeyMetadata?.Arn ?? '', /^arn:aws:kms:eu-west-1:111111111111:key\//);
    const afterwards = await eu.send(new ListAliasesCommand({}));
    assert.equal(afterwards.Aliases?.find((a) => a.AliasName === 'alias/aws/ebs')?.TargetKeyId, KeyMetadata?.KeyId);
  });

  test('unknown keys and aliases are NotFoundException; ARNs of another Region too', async () => {
    await rejectsWith(devKms.send(new DescribeKeyCommand({ KeyId: '00000000-0000-4000-8000-000000000000' })), 'NotFoundException', /does not exist/);
    await rejectsWith(devKms.send(new DescribeKeyCommand({ KeyId: 'alias/nope' })), 'NotFoundException', /alias\/nope is not found/);
    await rejectsWith(devKms.send(new DescribeKeyCommand({ KeyId: 'not a key' })), 'NotFoundException', /Invalid keyId/);
    await rejectsWith(devKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenEu })), 'NotFoundException');
    await rejectsWith(devKms.send(new DescribeKeyCommand({ KeyId: '' })), 'ValidationException');
  });

  test('another account: allowed when the key policy grants it kms:DescribeKey, else AccessDeniedException', async () => {
    const shared = await prodKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenUs }));
    assert.equal(shared.KeyMetadata?.AWSAccountId, dev.accountId);
    assert.equal(shared.KeyMetadata?.KeyManager, 'CUSTOMER');
    await rejectsWith(
      prodKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs })),
      'AccessDeniedException',
      /arn:aws:iam::222222222222:user\/prod-user is not authorized to perform: kms:DescribeKey/,
    );
    await rejectsWith(prodKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.devAwsEbsUs })), 'AccessDeniedException');
    await rejectsWith(devKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.prodImagesUs })), 'AccessDeniedException');
    // A key id (not an ARN) always means the caller's own account.
    await rejectsWith(prodKms.send(new DescribeKeyCommand({ KeyId: keyIdOf(DEFAULT_KMS_KEYS.devGoldenUs) })), 'NotFoundException');
  });
});

describe('KMS ListAliases and ListKeys', () => {
  test('ListAliases lists the account aliases of the Region with their target keys', async () => {
    const { Aliases, Truncated } = await devKms.send(new ListAliasesCommand({}));
    assert.equal(Truncated, false);
    const byName = new Map((Aliases ?? []).map((a) => [a.AliasName, a]));
    assert.deepEqual([...byName.keys()], ['alias/aws/ebs', 'alias/golden-images', 'alias/sharing-ready']);
    assert.equal(byName.get('alias/golden-images')?.TargetKeyId, keyIdOf(DEFAULT_KMS_KEYS.devGoldenUs));
    assert.equal(byName.get('alias/sharing-ready')?.TargetKeyId, keyIdOf(DEFAULT_KMS_KEYS.devSharingReadyUs));
    assert.equal(byName.get('alias/aws/ebs')?.TargetKeyId, keyIdOf(DEFAULT_KMS_KEYS.devAwsEbsUs));
    assert.equal(byName.get('alias/golden-images')?.AliasArn, `arn:aws:kms:us-east-1:${dev.accountId}:alias/golden-images`);

    const prodAliases = await prodKms.send(new ListAliasesCommand({}));
    assert.deepEqual(
      prodAliases.Aliases?.map((a) => [a.AliasName, a.TargetKeyId]),
      [['alias/aws/ebs', undefined], ['alias/prod-images', keyIdOf(DEFAULT_KMS_KEYS.prodImagesUs)]],
    );
  });

  test('ListAliases with KeyId lists that key only; another account key is refused', async () => {
    const { Aliases } = await devKms.send(new ListAliasesCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs }));
    assert.deepEqual(Aliases?.map((a) => a.AliasName), ['alias/sharing-ready']);
    await rejectsWith(prodKms.send(new ListAliasesCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenUs })), 'AccessDeniedException');
  });

  test('ListAliases returns 50 aliases a page by default (Limit 1 to 100)', async () => {
    const key = endpoint.state.kmsKeys({ accountId: dev.accountId, region: 'us-east-1' }).find((k) => k.aliases.includes('alias/sharing-ready'));
    assert.ok(key);
    key.aliases.push(...Array.from({ length: 60 }, (_, i) => `alias/extra-${String(i).padStart(2, '0')}`));
    const first = await devKms.send(new ListAliasesCommand({}));
    assert.equal(first.Aliases?.length, 50);
    assert.equal(first.Truncated, true);
    const rest = await devKms.send(new ListAliasesCommand({ Marker: first.NextMarker }));
    assert.equal((first.Aliases?.length ?? 0) + (rest.Aliases?.length ?? 0), 63);
    await rejectsWith(devKms.send(new ListAliasesCommand({ Limit: 101 })), 'ValidationException');
  });

  test('ListKeys pages with Limit and Marker', async () => {
    const first = await devKms.send(new ListKeysCommand({ Limit: 2 }));
    assert.equal(first.Keys?.length, 2);
    assert.equal(first.Truncated, true);
    assert.ok(first.NextMarker);
    const second = await devKms.send(new ListKeysCommand({ Limit: 2, Marker: first.NextMarker }));
    assert.equal(second.Truncated, false);
    const arns = [...(first.Keys ?? []), ...(second.Keys ?? [])].map((k) => k.KeyArn).sort();
    assert.deepEqual(arns, [DEFAULT_KMS_KEYS.devGoldenUs, DEFAULT_KMS_KEYS.devAwsEbsUs, DEFAULT_KMS_KEYS.devSharingReadyUs].sort());
    const eu = await kmsClientFor(endpoint.url, 'dev', 'eu-west-1').send(new ListKeysCommand({}));
    assert.deepEqual(eu.Keys?.map((k) => k.KeyArn), [DEFAULT_KMS_KEYS.devGoldenEu]);
    await rejectsWith(devKms.send(new ListKeysCommand({ Marker: 'bogus' })), 'InvalidMarkerException');
  });
});

describe('KMS key policies', () => {
  test('fixture policies: golden-images allows prod (use + grants for AWS resources), not the partner', async () => {
    const golden = await policyOf(devKms, DEFAULT_KMS_KEYS.devGoldenUs);
    const owner = golden.Statement.find((s) => s.Sid === 'Enable IAM User Permissions');
    assert.deepEqual(principalsOf(owner ?? { Effect: '' }), [rootOf(dev.accountId)]);
    const use = golden.Statement.find((s) => principalsOf(s).includes(rootOf(prod.accountId)) && s.Action !== 'kms:CreateGrant');
    assert.deepEqual(use?.Action, ['kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']);
    const grant = golden.Statement.find((s) => s.Action === 'kms:CreateGrant');
    assert.deepEqual(principalsOf(grant ?? { Effect: '' }), [rootOf(prod.accountId)]);
    assert.deepEqual(grant?.Condition, { Bool: { 'kms:GrantIsForAWSResource': true } });
    assert.ok(!JSON.stringify(golden).includes(external.accountId));

    for (const arn of [DEFAULT_KMS_KEYS.devSharingReadyUs]) {
      const policy = await policyOf(devKms, arn);
      assert.equal(policy.Statement.length, 1);
      assert.deepEqual(principalsOf(policy.Statement[0] ?? { Effect: '' }), [rootOf(dev.accountId)]);
    }
    const ebs = await policyOf(devKms, DEFAULT_KMS_KEYS.devAwsEbsUs);
    assert.ok(ebs.Statement.some((s) => JSON.stringify(s.Condition ?? {}).includes('ec2.us-east-1.amazonaws.com')));
    const names = await devKms.send(new ListKeyPoliciesCommand({ KeyId: keyIdOf(DEFAULT_KMS_KEYS.devGoldenUs) }));
    assert.deepEqual(names.PolicyNames, ['default']);
  });

  test('PutKeyPolicy round trip: GetKeyPolicy, the control API and cross-account access see the new policy', async () => {
    await rejectsWith(prodKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs })), 'AccessDeniedException');
    const policy = ownerOnlyPolicy(dev.accountId, [
      {
        Sid: 'Allow use of the key',
        Effect: 'Allow',
        Principal: { AWS: [rootOf(prod.accountId), rootOf(external.accountId)] },
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
        Resource: '*',
      },
    ]);
    await devKms.send(new PutKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs, PolicyName: 'default', Policy: policy }));
    assert.equal((await devKms.send(new GetKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs }))).Policy, policy);
    const shared = await prodKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs }));
    assert.equal(shared.KeyMetadata?.KeyId, keyIdOf(DEFAULT_KMS_KEYS.devSharingReadyUs));

    const response = await fetch(`${endpoint.url}/__control/keys?accountId=${dev.accountId}&region=us-east-1`);
    const keys = (await response.json()) as ControlKeyView[];
    assert.equal(keys.length, 3);
    const view = keys.find((k) => k.aliases.includes('alias/sharing-ready'));
    assert.equal(view?.policy, policy);
    assert.equal(view?.arn, DEFAULT_KMS_KEYS.devSharingReadyUs);
    assert.equal(view?.keyManager, 'CUSTOMER');
    assert.ok(view?.policyDocument?.Statement.some((s) => JSON.stringify(s.Principal).includes(external.accountId)));

    endpoint.reset();
    await rejectsWith(prodKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs })), 'AccessDeniedException');
  });

  test('an organization statement (Principal * + aws:PrincipalOrgID) lets member accounts use the key', async () => {
    const policy = ownerOnlyPolicy(dev.accountId, [
      {
        Sid: 'OrgUse',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:DescribeKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': DEFAULT_ORGANIZATION.id } },
      },
    ]);
    await devKms.send(new PutKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs, Policy: policy }));
    await prodKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs }));
    const ouPolicy = ownerOnlyPolicy(dev.accountId, [
      {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${DEFAULT_ORGANIZATION.id}/*/${DEFAULT_ORGANIZATION.ouId}/*` } },
      },
    ]);
    await devKms.send(new PutKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs, Policy: ouPolicy }));
    await prodKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs }));
  });

  test('malformed policies are MalformedPolicyDocumentException and change nothing', async () => {
    const before = (await devKms.send(new GetKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenUs }))).Policy;
    const malformed = [
      'not json',
      '{"Version":"2012-10-17"}',
      '{"Statement":{"Effect":"Allow"}}',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }),
      JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::12345:root' }, Action: 'kms:*' }] }),
    ];
    for (const Policy of malformed) {
      await rejectsWith(devKms.send(new PutKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenUs, Policy })), 'MalformedPolicyDocumentException');
    }
    assert.equal((await devKms.send(new GetKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenUs }))).Policy, before);
  });

  test('the lockout safety check refuses a policy the owner could no longer change, unless bypassed', async () => {
    const prodOnly = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: rootOf(prod.accountId) }, Action: 'kms:*', Resource: '*' }],
    });
    await rejectsWith(
      devKms.send(new PutKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs, Policy: prodOnly })),
      'MalformedPolicyDocumentException',
      /will not allow you to update the key policy/,
    );
    await devKms.send(new PutKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs, Policy: prodOnly, BypassPolicyLockoutSafetyCheck: true }));
    await rejectsWith(devKms.send(new GetKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devSharingReadyUs })), 'AccessDeniedException');
  });

  test('only the owner account may change a key policy; AWS managed keys cannot be changed', async () => {
    const policy = ownerOnlyPolicy(prod.accountId);
    await rejectsWith(
      prodKms.send(new PutKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenUs, Policy: policy })),
      'AccessDeniedException',
      /kms:PutKeyPolicy/,
    );
    await rejectsWith(prodKms.send(new GetKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenUs })), 'AccessDeniedException');
    await rejectsWith(
      devKms.send(new PutKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devAwsEbsUs, Policy: ownerOnlyPolicy(dev.accountId) })),
      'AccessDeniedException',
    );
    await rejectsWith(
      devKms.send(new GetKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenUs, PolicyName: 'other' })),
      'NotFoundException',
      /No such policy exists/,
    );
    await rejectsWith(
      devKms.send(new GetKeyPolicyCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenUs, PolicyName: 'not-a-name' })),
      'ValidationException',
      /at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    const unknownKey = `arn:aws:kms:us-east-1:${dev.accountId}:key/00000000-0000-0000-0000-000000000000`;
    await rejectsWith(devKms.send(new PutKeyPolicyCommand({ KeyId: unknownKey, Policy: policy })), 'NotFoundException', /does not exist/);
  });

  test('GetKeyPolicy, PutKeyPolicy, ListKeyPolicies and ListAliases take a key ID or key ARN, not an alias (DescribeKey does)', async () => {
    const aliasName = 'alias/golden-images';
    const aliasArn = `arn:aws:kms:us-east-1:${dev.accountId}:${aliasName}`;
    const policy = ownerOnlyPolicy(dev.accountId);
    for (const KeyId of [aliasName, aliasArn]) {
      const invalid = new RegExp(`^Invalid keyId ${KeyId.replace(/[/.]/g, '\\$&')}$`);
      await rejectsWith(devKms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' })), 'NotFoundException', invalid);
      await rejectsWith(devKms.send(new PutKeyPolicyCommand({ KeyId, PolicyName: 'default', Policy: policy })), 'NotFoundException', invalid);
      await rejectsWith(devKms.send(new ListKeyPoliciesCommand({ KeyId })), 'NotFoundException', invalid);
      await rejectsWith(devKms.send(new ListAliasesCommand({ KeyId })), 'NotFoundException', invalid);
      assert.equal((await devKms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata?.Arn, DEFAULT_KMS_KEYS.devGoldenUs);
    }
    assert.notEqual((await policyOf(devKms, DEFAULT_KMS_KEYS.devGoldenUs)).Statement.length, 1, 'the refused PutKeyPolicy changed nothing');
    // The same calls with the key ID or key ARN work.
    for (const KeyId of [keyIdOf(DEFAULT_KMS_KEYS.devGoldenUs), DEFAULT_KMS_KEYS.devGoldenUs]) {
      assert.ok((await devKms.send(new GetKeyPolicyCommand({ KeyId }))).Policy);
      assert.deepEqual((await devKms.send(new ListAliasesCommand({ KeyId }))).Aliases?.map((a) => a.AliasName), [aliasName]);
    }
  });
});

describe('KMS protocol', () => {
  test('requests are logged as kms; faults and bad credentials come back as JSON errors', async () => {
    await devKms.send(new ListKeysCommand({}));
    const last = endpoint.requests.at(-1);
    assert.deepEqual(
      { action: last?.action, service: last?.service, accountId: last?.accountId, status: last?.status },
      { action: 'ListKeys', service: 'kms', accountId: dev.accountId, status: 200 },
    );
    endpoint.faults.inject({ kind: 'throttle', action: 'DescribeKey' });
    await rejectsWith(devKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenUs })), 'ThrottlingException');
    endpoint.faults.inject({ kind: 'malformed-xml', action: 'DescribeKey' });
    await assert.rejects(devKms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KMS_KEYS.devGoldenUs })));

    const stranger = kmsClientFor(endpoint.url, { accessKeyId: 'AKIAUNKNOWN000000009', secretAccessKey: 'x' });
    await rejectsWith(stranger.send(new ListKeysCommand({})), 'UnrecognizedClientException');
    const expired = kmsClientFor(endpoint.url, { accessKeyId: 'AKIAEXPIRED000000003', secretAccessKey: 'x' });
    await rejectsWith(expired.send(new ListKeysCommand({})), 'ExpiredTokenException');
    stranger.destroy();
    expired.destroy();

    const raw = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.ScheduleKeyDeletion',
        authorization: `AWS4-HMAC-SHA256 Credential=${dev.accessKeyId}/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: '{}',
    });
    assert.equal(raw.status, 400);
    assert.equal(raw.headers.get('content-type'), 'application/x-amz-json-1.1');
    assert.equal(((await raw.json()) as { __type: string }).__type, 'UnknownOperationException');
  });
});
