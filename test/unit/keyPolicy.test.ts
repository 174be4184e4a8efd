import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addStatements, missingActions, recipientFromPermission, removeRecipients, statementsFor, type KeyPolicy, type Recipient } from '../../src/core/keyPolicy';

const OWNER_ONLY: KeyPolicy = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }],
};
const PARTNER: Recipient = { kind: 'account', accountId: '444444444444' };
const PROD: Recipient = { kind: 'account', accountId: '222222222222' };
const ORG = recipientFromPermission({ OrganizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' })!;
const OU = recipientFromPermission({ OrganizationalUnitArn: 'arn:aws:organizations::111111111111:ou/o-abc123def4/ou-ab12-cdef3456' })!;

test('an owner-only policy allows no recipient; the owner root is not a recipient match for others', () => {
  assert.deepEqual(missingActions(OWNER_ONLY, PARTNER), ['kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant']);
  assert.deepEqual(missingActions(OWNER_ONLY, { kind: 'account', accountId: '111111111111' }), []);
});

test('the statements to add grant exactly the five actions, CreateGrant only for AWS resources', () => {
  const [use, grant] = statementsFor([PARTNER, PROD]);
  assert.deepEqual(use!.Action, ['kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']);
  assert.deepEqual(use!.Principal, { AWS: ['arn:aws:iam::444444444444:root', 'arn:aws:iam::222222222222:root'] });
  assert.equal(grant!.Action, 'kms:CreateGrant');
  assert.deepEqual(grant!.Condition, { Bool: { 'kms:GrantIsForAWSResource': true } });
  const after = addStatements(OWNER_ONLY, statementsFor([PARTNER]));
  assert.deepEqual(missingActions(after, PARTNER), []);
  assert.deepEqual(missingActions(after, PROD).length, 5);
});

test('organizations and OUs use aws:PrincipalOrgID / aws:PrincipalOrgPaths conditions', () => {
  const statements = statementsFor([ORG, OU]);
  assert.deepEqual(statements[0]!.Condition, { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } });
  assert.deepEqual(statements[2]!.Condition, { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc123def4/*/ou-ab12-cdef3456/*' } });
  const after = addStatements(OWNER_ONLY, statements);
  assert.deepEqual(missingActions(after, ORG), []);
  assert.deepEqual(missingActions(after, OU), []);
  assert.equal(missingActions(after, PARTNER).length, 5, 'an org statement does not let an outside account in');
});

test('adding again merges principals into the same statements; removing takes out only what was added', () => {
  const once = addStatements(OWNER_ONLY, statementsFor([PARTNER]));
  const twice = addStatements(once, statementsFor([PROD]));
  assert.equal(twice.Statement.length, 3);
  assert.deepEqual(twice.Statement[1]!.Principal, { AWS: ['arn:aws:iam::444444444444:root', 'arn:aws:iam::222222222222:root'] });
  const removed = removeRecipients(twice, [PARTNER]);
  assert.deepEqual(removed.Statement[1]!.Principal, { AWS: 'arn:aws:iam::222222222222:root' });
  assert.deepEqual(missingActions(removed, PARTNER).length, 5);
  assert.deepEqual(removeRecipients(removed, [PROD]), OWNER_ONLY);
});

test('wildcards in existing policies count: kms:* for an account, ReEncrypt* covers the ReEncrypt actions', () => {
  const policy: KeyPolicy = { Statement: [{ Effect: 'Allow', Principal: { AWS: '222222222222' }, Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant'], Resource: '*' }] };
  assert.deepEqual(missingActions(policy, PROD), []);
  const denyOnly: KeyPolicy = { Statement: [{ Effect: 'Deny', Principal: { AWS: '222222222222' }, Action: 'kms:*', Resource: '*' }] };
  assert.equal(missingActions(denyOnly, PROD).length, 5);
});
