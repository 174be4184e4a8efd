import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fromIni } from '@aws-sdk/credential-providers';
import { describeAwsError } from '../../src/core/errors';
import { redactingChannel, redactingLogger, redactSecrets as reexported, type AwsLogger } from '../../src/core/logger';
import { redactDeep, redactSecrets } from '../../src/core/redact';
import { rejection } from '../support/rejectsWith';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const TEMP_KEY = 'ASIAQ3EGRXZ5EXAMPLE1';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'FQoGZXIvYXdzEXAMPLEtokenValue+/abc==';

/** Redacts `text` and checks that none of `secrets` survives; returns the redacted text. */
function hides(text: string, ...secrets: string[]): string {
  for (const secret of secrets) assert.ok(text.includes(secret), `test input should contain ${secret}`);
  const redacted = redactSecrets(text);
  for (const secret of secrets) assert.ok(!redacted.includes(secret), `${secret} leaked in: ${redacted}`);
  return redacted;
}

test('access key IDs keep their first and last 4 characters', () => {
  assert.equal(hides(`key ${KEY} and ${TEMP_KEY}.`, KEY, TEMP_KEY), 'key AKIA…MPLE and ASIA…PLE1.');
  assert.equal(hides(`Credential=${KEY}/20250101/us-east-1/ec2/aws4_request`, KEY), 'Credential=AKIA…MPLE/20250101/us-east-1/ec2/aws4_request');
});

test('key=value: INI, env and prose, including what follows a comma', () => {
  assert.equal(hides('aws_secret_access_key=abc,def', 'abc,def'), 'aws_secret_access_key=***');
  assert.ok(!redactSecrets('aws_secret_access_key=abc,def').includes('def'));
  hides(`failed: aws_secret_access_key = ${SECRET}, aws_session_token=${TOKEN} more`, SECRET, TOKEN);
  const ini = hides(`[profile dev]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\naws_session_token = ${TOKEN}\nregion = us-east-1\n`, SECRET, TOKEN, KEY);
  assert.match(ini, /region = us-east-1/);
  assert.match(ini, /aws_secret_access_key = \*\*\*/);
  hides('password = correct horse battery staple', 'correct', 'horse', 'staple');
  hides('login failed, password="my secret pass" for user', 'my secret pass');
  hides(`AWS_SECRET_ACCESS_KEY=${SECRET} AWS_SESSION_TOKEN=${TOKEN}`, SECRET, TOKEN);
  // A harmless pair before a secret one does not hide the secret inside its value.
  assert.equal(hides('user=bob,password=hunter2', 'hunter2'), 'user=bob,password=***');
  assert.equal(hides('see redirect=https://sso.example.com/?token=abc123', 'abc123'), 'see redirect=https://sso.example.com/?token=***');
});

test('JSON: quoted keys, escaped JSON inside a string, and a value cut short', () => {
  const json = hides(JSON.stringify({ AccessKeyId: KEY, SecretAccessKey: SECRET, SessionToken: TOKEN, Expiration: '2030-01-01T00:00:00Z' }), KEY, SECRET, TOKEN);
  assert.match(json, /"SecretAccessKey":"\*\*\*"/);
  assert.match(json, /"Expiration":"2030-01-01T00:00:00Z"/);
  hides(`{ "SecretAccessKey" : "${SECRET}", "sessionToken": "${TOKEN}" }`, SECRET, TOKEN);
  hides(JSON.stringify({ body: JSON.stringify({ SecretAccessKey: SECRET, SessionToken: TOKEN }) }), SECRET, TOKEN);
  hides(`invalid JSON near {"SecretAccessKey": "${SECRET}`, SECRET);
  hides(`{ secretAccessKey: '${SECRET}', sessionToken: '${TOKEN}' }`, SECRET, TOKEN); // util.inspect
  hides(`{"accessToken":"${TOKEN}","refreshToken":"r3fr3sh-${TOKEN}","clientSecret":"${SECRET}"}`, TOKEN, SECRET); // SSO cache
});

test('XML: SecretAccessKey, SessionToken and AccessKeyId in an STS response', () => {
  const xml = `<AssumeRoleResult><Credentials><AccessKeyId>${TEMP_KEY}</AccessKeyId><SecretAccessKey>${SECRET}</SecretAccessKey><SessionToken>${TOKEN}</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult>`;
  const redacted = hides(xml, TEMP_KEY, SECRET, TOKEN);
  assert.match(redacted, /<SecretAccessKey>\*\*\*<\/SecretAccessKey>/);
  assert.match(redacted, /<SessionToken>\*\*\*<\/SessionToken>/);
  assert.match(redacted, /<AccessKeyId>ASIA…PLE1<\/AccessKeyId>/);
  assert.match(redacted, /<Expiration>2030-01-01T00:00:00Z<\/Expiration>/);
});

test('HTTP headers: x-amz-security-token and a SigV4 Authorization header', () => {
  const signature = 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024';
  const headers = [
    'POST / HTTP/1.1',
    'host: ec2.us-east-1.amazonaws.com',
    `x-amz-security-token: ${TOKEN}`,
    `Authorization: AWS4-HMAC-SHA256 Credential=${KEY}/20250101/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    'x-amz-date: 20250101T000000Z',
  ].join('\r\n');
  const redacted = hides(headers, TOKEN, KEY, signature);
  assert.match(redacted, /host: ec2\.us-east-1\.amazonaws\.com/);
  assert.match(redacted, /Authorization: AWS4-HMAC-SHA256 \*\*\*/);
  assert.match(redacted, /x-amz-date: 20250101T000000Z/);
  hides(`Signature=${signature}`, signature);
  hides(`Authorization: Bearer ${TOKEN}`, TOKEN);
  hides(JSON.stringify({ headers: { authorization: `AWS4-HMAC-SHA256 Signature=${signature}`, 'x-amz-security-token': TOKEN } }), signature, TOKEN);
});

test('query strings: presigned URL parameters, token= and password=', () => {
  const url = `https://ec2.amazonaws.com/?Action=DescribeImages&X-Amz-Credential=${KEY}%2F20250101%2Fus-east-1%2Fec2%2Faws4_request&X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&X-Amz-Signature=abcdef0123456789&token=t0k3n,part2&password=hunter2,x&Version=2016-11-15`;
  const redacted = hides(url, KEY, encodeURIComponent(TOKEN), 'abcdef0123456789', 't0k3n', 'part2', 'hunter2');
  assert.match(redacted, /Action=DescribeImages&/);
  assert.match(redacted, /&Version=2016-11-15$/);
  assert.match(redacted, /X-Amz-Signature=\*\*\*&/);
});

test('credential_process: the command line and its output are hidden, whatever the shape', () => {
  const nodeExec = "Command failed: /usr/local/bin/get-creds --secret hunter2\nerror: vault token s.SECRETVALUE rejected\nsecond line\n";
  assert.equal(hides(nodeExec, 'hunter2', 's.SECRETVALUE', 'get-creds', 'second line'), 'Command failed: credential_process (command hidden)\n(output hidden)');
  assert.equal(redactSecrets('Command failed: /usr/bin/false\n'), 'Command failed: credential_process (command hidden)');
  // After the error text has been collapsed into one line (describeAwsError's firstSentence), too.
  hides('Could not get credentials for profile "p": Command failed: /bin/get --pw hunter2 stderr-SECRET', 'hunter2', 'stderr-SECRET');
  hides("[profile p]\ncredential_process = /opt/bin/creds --password 'hunter2'\nregion = eu-west-1", 'hunter2', '/opt/bin/creds');
});

test('the SDK own credential_process failure (fromIni, generated AWS_CONFIG_FILE) is redacted in log and error texts', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-redact-'));
  const configFile = path.join(dir, 'config');
  const command = "/bin/sh -c 'echo SECRET-IN-STDERR >&2; exit 3'";
  fs.writeFileSync(configFile, `[profile proc]\ncredential_process = ${command}\nregion = us-east-1\n`);
  fs.writeFileSync(path.join(dir, 'credentials'), '');
  const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
  process.env.AWS_CONFIG_FILE = configFile;
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
  let error: unknown;
  try {
    error = await rejection(fromIni({ profile: 'proc', ignoreCache: true })(), 'credential_process to fail');
  } finally {
    for (const [name, value] of [['AWS_CONFIG_FILE', saved.config], ['AWS_SHARED_CREDENTIALS_FILE', saved.credentials]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(error instanceof Error, 'credential_process should have failed');
  // The SDK passes Node's exec message on: the command line and the process's stderr.
  assert.ok(error.message.includes(command) && error.message.includes('SECRET-IN-STDERR'), `unexpected SDK message shape: ${error.message}`);

  const redacted = redactSecrets(error.message);
  assert.ok(!redacted.includes('SECRET-IN-STDERR') && !redacted.includes('/bin/sh') && !redacted.includes('exit 3'), redacted);
  assert.match(redacted, /credential_process \(command hidden\)/);
  assert.match(redacted, /\(output hidden\)/);

  const described = describeAwsError(error, { operation: 'GetCallerIdentity', resolvingCredentials: true, profile: 'proc', region: 'us-east-1' });
  for (const text of [described.message, described.raw]) {
    assert.ok(!text.includes('SECRET-IN-STDERR') && !text.includes('/bin/sh'), text);
  }
  assert.equal(described.credentialProblem, true);
  assert.match(described.message, /Could not get credentials for profile "proc"/);

  const logged: string[] = [];
  const sink: AwsLogger = { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m), debug: (m) => logged.push(m) };
  const logger = redactingLogger(sink);
  logger.error(`GetCallerIdentity failed: ${error.message}`);
  logger.info(`x-amz-security-token: ${TOKEN}`);
  logger.warn(`aws_secret_access_key=${SECRET}`);
  logger.debug(`key ${KEY}`);
  assert.equal(logged.length, 4);
  assert.ok(logged.every((m) => !m.includes('SECRET-IN-STDERR') && !m.includes(TOKEN) && !m.includes(SECRET) && !m.includes(KEY)), logged.join('\n'));
});

test('describeAwsError redacts both the message and the raw text', () => {
  const error = Object.assign(new Error(`Invalid parameter aws_secret_access_key=${SECRET},${TOKEN} for ${KEY}`), { name: 'InvalidParameter' });
  const described = describeAwsError(error, { operation: 'ModifyImageAttribute', profile: 'dev', region: 'us-east-1' });
  for (const text of [described.message, described.raw]) {
    assert.ok(!text.includes(SECRET) && !text.includes(TOKEN) && !text.includes(KEY), text);
  }
  assert.match(described.message, /EC2 rejected a parameter/);
  // Text from the context (an access key pasted where an AMI ID belongs) is redacted too.
  const pasted = describeAwsError(Object.assign(new Error('Invalid id'), { name: 'InvalidAMIID.Malformed' }), { operation: 'DescribeImages', profile: 'dev', region: 'us-east-1', imageId: KEY });
  assert.ok(!pasted.message.includes(KEY), pasted.message);
  assert.match(pasted.message, /AKIA…MPLE is not a valid AMI ID/);
});

test('ordinary AWS messages are left alone', () => {
  for (const text of [
    'ExpiredToken: The security token included in the request is expired',
    'SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.',
    'InvalidClientTokenId: The security token included in the request is invalid.',
    "InvalidAMIID.NotFound: The image id '[ami-0123456789abcdef0]' does not exist",
    'Profile proc credential_process returned invalid JSON.',
    'ModifyImageAttribute failed in dev / us-east-1: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'Launch permissions: 111122223333, all',
    '',
  ]) {
    assert.equal(redactSecrets(text), text);
  }
});

test('redaction is idempotent', () => {
  const text = `Command failed: x\ny | aws_secret_access_key=${SECRET} "SessionToken":"${TOKEN}" <SessionToken>${TOKEN}</SessionToken> ${KEY}`;
  const once = redactSecrets(`${KEY} aws_secret_access_key=${SECRET} "SessionToken":"${TOKEN}" <SessionToken>${TOKEN}</SessionToken> x-amz-security-token: ${TOKEN}`);
  assert.equal(redactSecrets(once), once);
  assert.equal(redactSecrets(redactSecrets(text)), redactSecrets(text));
});

test('a megabyte of text without separators is redacted in linear time', () => {
  for (const big of ['a'.repeat(1 << 20), `token${'a-'.repeat(1 << 19)}`, `"${'x'.repeat(1 << 20)}`, `<${'a'.repeat(1 << 20)}`, 'tokentoken'.repeat(1 << 17), 'a=b?'.repeat(1 << 18), 'token:'.repeat(1 << 17), '"a":'.repeat(1 << 18), `password=${'x'.repeat(1 << 20)}`]) {
    const started = performance.now();
    redactSecrets(big);
    assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
  }
});

test('redactDeep redacts every string, masks secret-named fields, and leaves the input alone', () => {
  const input = {
    kind: 'result',
    error: `AuthFailure for ${KEY} with aws_session_token=${TOKEN}`,
    nested: [{ message: `<SecretAccessKey>${SECRET}</SecretAccessKey>` }, 42, null, true],
    credentials: { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN },
    when: new Date(0),
    after: [{ UserId: '111122223333' }],
  };
  const snapshot = JSON.stringify(input);
  const output = redactDeep(input);
  assert.equal(JSON.stringify(input), snapshot, 'input changed');
  const text = JSON.stringify(output);
  for (const secret of [KEY, SECRET, TOKEN]) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  assert.equal(output.credentials.secretAccessKey, '***');
  assert.equal(output.credentials.sessionToken, '***');
  assert.equal(output.credentials.accessKeyId, 'AKIA…MPLE');
  assert.deepEqual(output.nested.slice(1), [42, null, true]);
  assert.deepEqual(output.after, [{ UserId: '111122223333' }]);
  assert.equal(output.when, input.when);

  const cyclic: { self?: unknown; password: string } = { password: 'hunter2' };
  cyclic.self = cyclic;
  const copy = redactDeep(cyclic);
  assert.equal(copy.self, copy);
  assert.equal(copy.password, '***');

  const error = redactDeep(new Error(`bad token=${TOKEN}`));
  assert.ok(error instanceof Error);
  assert.ok(!error.message.includes(TOKEN) && !String(error.stack).includes(TOKEN));
  assert.equal(redactDeep(`x ${KEY}`), 'x AKIA…MPLE');
});

test('core/logger re-exports the same redactor', () => {
  assert.equal(reexported, redactSecrets);
});

test('a redacting channel redacts what any caller writes, and passes other members through', () => {
  const written: unknown[][] = [];
  let level = 2;
  // Frozen, like VS Code's own channel objects.
  const channel = Object.freeze({
    name: 'AMI Sharing',
    get logLevel() {
      return level;
    },
    info: (...args: unknown[]) => written.push(['info', ...args]),
    error: (...args: unknown[]) => written.push(['error', ...args]),
    appendLine: (line: string) => written.push(['appendLine', line]),
    show: () => written.push(['show']),
  });
  const log = redactingChannel(channel);
  log.info(`Selecting Regions failed: aws_secret_access_key=${SECRET}`, 42);
  log.error(new Error(`bad x-amz-security-token: ${TOKEN}`));
  log.appendLine(`key ${KEY}`);
  log.show();
  assert.equal(log.name, 'AMI Sharing');
  level = 3;
  assert.equal(log.logLevel, 3);
  assert.ok('appendLine' in log);
  assert.equal(written.length, 4);
  const text = written.map((call) => call.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')).join('\n');
  for (const secret of [SECRET, TOKEN, KEY]) assert.ok(!text.includes(secret), text);
  assert.deepEqual(written[0]?.slice(2), [42]);
  assert.deepEqual(written[3], ['show']);
});
