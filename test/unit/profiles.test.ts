import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { filterProfiles } from '../../src/core/profiles';
import { readSharedConfig } from '../../src/aws/sharedConfig';

function withAwsFiles(config: string, credentials: string): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-profiles-'));
  fs.writeFileSync(path.join(dir, 'config'), config);
  fs.writeFileSync(path.join(dir, 'credentials'), credentials);
  const previous = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
  process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
  return () => {
    if (previous.config === undefined) delete process.env.AWS_CONFIG_FILE;
    else process.env.AWS_CONFIG_FILE = previous.config;
    if (previous.credentials === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    else process.env.AWS_SHARED_CREDENTIALS_FILE = previous.credentials;
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

const CONFIG = `
[default]
region = us-west-2

[profile static]
region = eu-west-1

[profile role]
role_arn = arn:aws:iam::333333333333:role/Admin
source_profile = static
mfa_serial = arn:aws:iam::111111111111:mfa/alice

[profile instance-role]
role_arn = arn:aws:iam::333333333333:role/Admin
credential_source = Ec2InstanceMetadata

[profile sso-new]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin
region = us-east-1

[profile sso-legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111111111111
sso_role_name = Admin

[profile process]
credential_process = /usr/local/bin/get-creds --profile x

[profile web]
role_arn = arn:aws:iam::333333333333:role/Web
web_identity_token_file = /tmp/token

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[services local]
ec2 =
  endpoint_url = http://localhost:1111
`;

const CREDENTIALS = `
[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = default-secret

[static]
aws_access_key_id = AKIASTATIC
aws_secret_access_key = static-secret

[credentials-only]
aws_access_key_id = AKIAONLY
aws_secret_access_key = only-secret
`;

test('discovers every profile kind from the files named by AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', async (t) => {
  t.after(withAwsFiles(CONFIG, CREDENTIALS));
  const { profiles } = await readSharedConfig();
  const byName = Object.fromEntries(profiles.map((p) => [p.name, p]));
  assert.deepEqual(
    profiles.map((p) => p.name),
    ['default', 'credentials-only', 'instance-role', 'process', 'role', 'sso-legacy', 'sso-new', 'static', 'web'],
  );
  assert.equal(byName.default!.credentialKind, 'static');
  assert.equal(byName.default!.region, 'us-west-2');
  assert.equal(byName.static!.credentialKind, 'static');
  assert.equal(byName.static!.region, 'eu-west-1');
  assert.equal(byName['credentials-only']!.credentialKind, 'static');
  assert.equal(byName.role!.credentialKind, 'role');
  assert.equal(byName.role!.mfaSerial, 'arn:aws:iam::111111111111:mfa/alice');
  assert.equal(byName.role!.sourceProfile, 'static');
  assert.equal(byName['instance-role']!.credentialKind, 'role');
  assert.equal(byName['sso-new']!.credentialKind, 'sso');
  assert.equal(byName['sso-new']!.ssoStartUrl, 'https://corp.awsapps.com/start');
  assert.equal(byName['sso-legacy']!.ssoStartUrl, 'https://legacy.awsapps.com/start');
  assert.equal(byName.process!.credentialKind, 'process');
  assert.equal(byName.web!.credentialKind, 'web-identity');
});

test('profile info never carries secret values', async (t) => {
  t.after(withAwsFiles(CONFIG, CREDENTIALS));
  const { profiles } = await readSharedConfig();
  const serialized = JSON.stringify(profiles);
  for (const secret of ['default-secret', 'static-secret', 'only-secret', 'AKIASTATIC']) {
    assert.ok(!serialized.includes(secret), `profile list leaks ${secret}`);
  }
});

test('re-reads the files on every call so config edits show up', async (t) => {
  const cleanup = withAwsFiles('[profile one]\nregion = us-east-1\n', '');
  t.after(cleanup);
  assert.deepEqual((await readSharedConfig()).profiles.map((p) => p.name), ['one']);
  fs.appendFileSync(process.env.AWS_CONFIG_FILE!, '\n[profile two]\nregion = eu-west-1\n');
  assert.deepEqual((await readSharedConfig()).profiles.map((p) => p.name), ['one', 'two']);
});

test('missing files mean no profiles, not an error', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-none-'));
  const previous = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
  process.env.AWS_CONFIG_FILE = path.join(dir, 'nope-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'nope-credentials');
  t.after(() => {
    // Never leave them empty: the SDK would fall back to the developer's own ~/.aws.
    if (previous.config === undefined) delete process.env.AWS_CONFIG_FILE;
    else process.env.AWS_CONFIG_FILE = previous.config;
    if (previous.credentials === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    else process.env.AWS_SHARED_CREDENTIALS_FILE = previous.credentials;
  });
  assert.deepEqual((await readSharedConfig()).profiles, []);
});

test('amiSharing.profiles filters profiles; empty shows all', () => {
  const profiles = [{ name: 'a', credentialKind: 'static' as const }, { name: 'b', credentialKind: 'sso' as const }];
  assert.deepEqual(filterProfiles(profiles, []).map((p) => p.name), ['a', 'b']);
  assert.deepEqual(filterProfiles(profiles, ['b', 'zzz']).map((p) => p.name), ['b']);
});
