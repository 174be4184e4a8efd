import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { writeAwsConfigFiles } from '../endpoint/awsFiles';
import { ec2ClientFor, stsClientFor } from '../endpoint/clients';
import { DEFAULT_ACCOUNTS, DEFAULT_ROLES } from '../endpoint/fixture/defaultFixture';
import { MFA_TOKEN_CODE } from '../endpoint/fixture/fixture';
import { startTestEndpoint, type TestEndpoint } from '../endpoint/server';
import { rejectsWith } from '../support/rejectsWith';

const { dev, prod, tools } = DEFAULT_ACCOUNTS;

let endpoint: TestEndpoint;
let awsDir: string;
const savedEnv = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };

before(async () => {
  endpoint = await startTestEndpoint();
  awsDir = mkdtempSync(join(tmpdir(), 'ami-sharing-endpoint-'));
  const files = writeAwsConfigFiles(awsDir, { default: endpoint.url });
  process.env.AWS_CONFIG_FILE = files.configFile;
  process.env.AWS_SHARED_CREDENTIALS_FILE = files.credentialsFile;
});

after(async () => {
  process.env.AWS_CONFIG_FILE = savedEnv.config;
  process.env.AWS_SHARED_CREDENTIALS_FILE = savedEnv.credentials;
  if (savedEnv.config === undefined) delete process.env.AWS_CONFIG_FILE;
  if (savedEnv.credentials === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
  rmSync(awsDir, { recursive: true, force: true });
  await endpoint.close();
});

describe('awsFiles', () => {
  test('writes the dev, prod, tools, tools-mfa and expired profiles', () => {
    const config = readFileSync(join(awsDir, 'config'), 'utf8');
    for (const profile of ['dev', 'prod', 'tools', 'tools-mfa', 'expired']) {
      assert.match(config, new RegExp(`^\\[profile ${profile}\\]$`, 'm'));
    }
    assert.match(config, /role_arn = arn:aws:iam::333333333333:role\/Admin\nsource_profile = dev/);
    assert.match(config, new RegExp(`endpoint_url = ${endpoint.url}`));
    const credentials = readFileSync(join(awsDir, 'credentials'), 'utf8');
    assert.match(credentials, /^\[dev\]\naws_access_key_id = AKIADEV0000000000001$/m);
  });
});

describe('STS', () => {
  test('GetCallerIdentity returns account, ARN and user id of static keys', async () => {
    const identity = await stsClientFor(endpoint.url, 'prod').send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, prod.accountId);
    assert.equal(identity.Arn, `arn:aws:iam::${prod.accountId}:user/${prod.userName}`);
    assert.match(identity.UserId ?? '', /^AIDA[A-Z0-9]{17}$/);
    assert.match(identity.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  });

  test('AssumeRole issues temporary credentials an hour ahead that act as the role account', async () => {
    const before = Date.now();
    const result = await stsClientFor(endpoint.url, 'dev').send(
      new AssumeRoleCommand({ RoleArn: DEFAULT_ROLES.admin, RoleSessionName: 'unit-test' }),
    );
    const credentials = result.Credentials;
    assert.ok(credentials?.AccessKeyId && credentials.SecretAccessKey && credentials.SessionToken && credentials.Expiration);
    assert.match(credentials.AccessKeyId, /^ASIA/);
    const lifetime = credentials.Expiration.getTime() - before;
    assert.ok(lifetime > 3590_000 && lifetime < 3610_000, `lifetime ${lifetime}`);
    assert.equal(result.AssumedRoleUser?.Arn, `arn:aws:sts::${tools.accountId}:assumed-role/Admin/unit-test`);

    const session = {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
    };
    const identity = await stsClientFor(endpoint.url, session).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, tools.accountId);

    // A session whose token does not match, or that has expired, is rejected.
    await rejectsWith(
      ec2ClientFor(endpoint.url, { ...session, sessionToken: 'forged' }).send(new DescribeImagesCommand({})),
      'AuthFailure',
    );
    const record = endpoint.state.session(session.accessKeyId);
    assert.ok(record);
    record.expiration = new Date(Date.now() - 1000);
    await rejectsWith(ec2ClientFor(endpoint.url, session).send(new DescribeImagesCommand({})), 'RequestExpired');
    await rejectsWith(stsClientFor(endpoint.url, session).send(new GetCallerIdentityCommand({})), 'ExpiredToken');
  });

  test('AssumeRole is denied to accounts the role does not trust, and validates its input', async () => {
    await rejectsWith(
      stsClientFor(endpoint.url, 'prod').send(new AssumeRoleCommand({ RoleArn: DEFAULT_ROLES.admin, RoleSessionName: 'nope' })),
      'AccessDenied',
      /is not authorized to perform: sts:AssumeRole/,
    );
    await rejectsWith(
      stsClientFor(endpoint.url, 'dev').send(
        new AssumeRoleCommand({ RoleArn: DEFAULT_ROLES.admin, RoleSessionName: 'ok', DurationSeconds: 60 }),
      ),
      'ValidationError',
      /^1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900$/,
    );
  });

  test('AssumeRole: DurationSeconds above the role maximum session (default 3600) and a RoleArn under 20 characters are ValidationError 400', async () => {
    const sts = stsClientFor(endpoint.url, 'dev');
    const assume = (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>) =>
      sts.send(new AssumeRoleCommand({ RoleArn: DEFAULT_ROLES.admin, RoleSessionName: 'limits', ...input }));
    const tooLong = await rejectsWith(
      assume({ DurationSeconds: 3601 }),
      'ValidationError',
      /^The requested DurationSeconds exceeds the MaxSessionDuration set for this role\.$/,
    );
    assert.equal(tooLong.$metadata?.httpStatusCode, 400);
    await assume({ DurationSeconds: 3600 });
    await rejectsWith(assume({ DurationSeconds: 43_201 }), 'ValidationError', /Member must have value less than or equal to 43200$/);

    // A role whose maximum is 12 hours grants 12 hours.
    const before = Date.now();
    const long = await sts.send(
      new AssumeRoleCommand({
        RoleArn: DEFAULT_ROLES.adminWithMfa,
        RoleSessionName: 'long',
        DurationSeconds: 43_200,
        SerialNumber: DEFAULT_ROLES.devMfaSerial,
        TokenCode: MFA_TOKEN_CODE,
      }),
    );
    const lifetime = (long.Credentials?.Expiration?.getTime() ?? 0) - before;
    assert.ok(lifetime > 43_190_000 && lifetime < 43_210_000, `lifetime ${lifetime}`);

    const shortArn = await rejectsWith(
      assume({ RoleArn: 'arn:aws:iam::3:role' }),
      'ValidationError',
      /^1 validation error detected: Value 'arn:aws:iam::3:role' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20$/,
    );
    assert.equal(shortArn.$metadata?.httpStatusCode, 400);
    await rejectsWith(
      assume({ RoleArn: 'short', RoleSessionName: 'x', DurationSeconds: 60 }),
      'ValidationError',
      /^3 validation errors detected: .*'roleArn'.*; .*'roleSessionName'.*length greater than or equal to 2; .*'durationSeconds'/,
    );
    // A malformed ARN that is long enough is still just not assumable, as in STS.
    await rejectsWith(assume({ RoleArn: 'arn:aws:iam:333333333333:role/Admin' }), 'AccessDenied');
  });

  test('unknown and expired keys', async () => {
    await rejectsWith(
      stsClientFor(endpoint.url, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})),
      'InvalidClientTokenId',
    );
    await rejectsWith(
      stsClientFor(endpoint.url, { accessKeyId: 'AKIAEXPIRED000000003', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})),
      'ExpiredToken',
    );
  });
});

describe('profiles through fromIni', () => {
  test('a role_arn + source_profile profile assumes the role through the endpoint', async () => {
    const credentials = fromIni({ profile: 'tools', clientConfig: { endpoint: endpoint.url } });
    const identity = await stsClientFor(endpoint.url, await credentials()).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, tools.accountId);
    assert.match(identity.Arn ?? '', /^arn:aws:sts::333333333333:assumed-role\/Admin\//);

    const ec2 = new EC2Client({ endpoint: endpoint.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const images = await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    assert.deepEqual(images.Images?.map((i) => i.Name), ['tools-ci-runner-2026-11-12']);
    const assumeCalls = endpoint.requests.filter((r) => r.action === 'AssumeRole' && r.accountId === dev.accountId);
    assert.ok(assumeCalls.length >= 1);
  });

  test('static profiles resolve to their account', async () => {
    for (const [profile, accountId] of [['dev', dev.accountId], ['prod', prod.accountId]] as const) {
      const credentials = await fromIni({ profile })();
      const identity = await stsClientFor(endpoint.url, credentials).send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Account, accountId);
    }
  });

  test('MFA: the right code works, a wrong one is AccessDenied', async () => {
    const asked: string[] = [];
    const good = await fromIni({
      profile: 'tools-mfa',
      clientConfig: { endpoint: endpoint.url },
      mfaCodeProvider: async (serial) => {
        asked.push(serial);
        return '123456';
      },
    })();
    assert.match(good.accessKeyId, /^ASIA/);
    assert.deepEqual(asked, [DEFAULT_ROLES.devMfaSerial]);

    await rejectsWith(
      fromIni({ profile: 'tools-mfa', clientConfig: { endpoint: endpoint.url }, mfaCodeProvider: async () => '654321' })(),
      'AccessDenied',
      /invalid MFA one time pass code/,
    );
  });

  test('the expired profile fails with AuthFailure on EC2', async () => {
    const ec2 = new EC2Client({ endpoint: endpoint.url, region: 'us-east-1', credentials: fromIni({ profile: 'expired' }), maxAttempts: 1 });
    await rejectsWith(ec2.send(new DescribeImagesCommand({})), 'AuthFailure', /AWS was not able to validate the provided access credentials/);
  });
});
