import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeAwsError } from '../../src/core/errors';

const context = { operation: 'ModifyImageAttribute', profile: 'dev', region: 'us-east-1', imageId: 'ami-0123456789abcdef0' };

function sdkError(name: string, message: string, status = 400, requestId = 'req-1'): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId } });
}

const cases: Array<[string, Error, RegExp, { credentialProblem?: boolean; ssoLoginNeeded?: boolean }?]> = [
  ['UnauthorizedOperation names the missing permission', sdkError('UnauthorizedOperation', 'You are not authorized to perform this operation.'), /ec2:ModifyImageAttribute/],
  ['AuthFailure blames the profile credentials', sdkError('AuthFailure', 'AWS was not able to validate the provided access credentials'), /credentials of profile "dev"/, { credentialProblem: true }],
  ['RequestLimitExceeded says it was retried', sdkError('RequestLimitExceeded', 'Request limit exceeded.', 503), /throttling.*retried/],
  ['InvalidAMIID.NotFound suggests Region or deregistration', sdkError('InvalidAMIID.NotFound', "The image id '[ami-0123]' does not exist"), /another Region, deregistered/],
  ['InvalidAMIID.Unavailable explains availability', sdkError('InvalidAMIID.Unavailable', 'not available'), /not available/],
  ['InvalidAMIAttributeItemValue repeats the value', sdkError('InvalidAMIAttributeItemValue', 'Invalid attribute item value "12345" for userId item type.'), /"12345".*12 digits/],
  ['AWS-managed-key snapshots', sdkError('InvalidParameter', "Snapshots encrypted with the AWS Managed CMK can't be shared."), /AWS managed key \(aws\/ebs\)/],
  ['expired SSO token asks for aws sso login', new Error('The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login'), /aws sso login --profile dev/, { credentialProblem: true, ssoLoginNeeded: true }],
  ['connection refused is a network problem', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), /connection refused/],
  ['a non-XML 5xx body', sdkError('Error', 'Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.', 502), /server error \(HTTP 502\)/],
  ['malformed XML with 200', sdkError('Error', 'Deserialization error: Unexpected end of input', 200), /not valid AWS XML/],
];

for (const [name, error, expected, flags] of cases) {
  test(`error message: ${name}`, () => {
    const described = describeAwsError(error, context);
    assert.match(described.message, expected);
    assert.equal(described.credentialProblem, flags?.credentialProblem ?? false);
    assert.equal(described.ssoLoginNeeded, flags?.ssoLoginNeeded ?? false);
  });
}

test('request ids are kept for the log', () => {
  assert.equal(describeAwsError(sdkError('AuthFailure', 'x', 401, 'abc-123'), context).requestId, 'abc-123');
});

test('unknown errors still say which operation failed where', () => {
  assert.match(describeAwsError(sdkError('SomethingNew', 'Odd failure'), context).message, /ModifyImageAttribute failed in dev \/ us-east-1: Odd failure/);
});
