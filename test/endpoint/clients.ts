import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { OrganizationsClient, type OrganizationsClientConfig } from '@aws-sdk/client-organizations';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { DEFAULT_ACCOUNTS } from './fixture/defaultFixture';

/** Real SDK clients pointed at a test endpoint, for tests that do not go through profiles. */

export type KnownIdentity = 'dev' | 'prod';

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function credentialsOf(who: KnownIdentity | StaticCredentials): StaticCredentials {
  if (typeof who !== 'string') {
    return who;
  }
  const { accessKeyId, secretAccessKey } = DEFAULT_ACCOUNTS[who];
  return { accessKeyId, secretAccessKey };
}

/** maxAttempts defaults to 1 so that faults surface at once instead of being retried. */
export function ec2ClientFor(
  endpointUrl: string,
  who: KnownIdentity | StaticCredentials,
  region = 'us-east-1',
  config: Partial<EC2ClientConfig> = {},
): EC2Client {
  return new EC2Client({ endpoint: endpointUrl, region, credentials: credentialsOf(who), maxAttempts: 1, ...config });
}

export function stsClientFor(
  endpointUrl: string,
  who: KnownIdentity | StaticCredentials,
  region = 'us-east-1',
  config: Partial<STSClientConfig> = {},
): STSClient {
  return new STSClient({ endpoint: endpointUrl, region, credentials: credentialsOf(who), maxAttempts: 1, ...config });
}

export function kmsClientFor(
  endpointUrl: string,
  who: KnownIdentity | StaticCredentials,
  region = 'us-east-1',
  config: Partial<KMSClientConfig> = {},
): KMSClient {
  return new KMSClient({ endpoint: endpointUrl, region, credentials: credentialsOf(who), maxAttempts: 1, ...config });
}

/** Organizations is global: its endpoint is in us-east-1, whatever the profile's Region. */
export function organizationsClientFor(
  endpointUrl: string,
  who: KnownIdentity | StaticCredentials,
  config: Partial<OrganizationsClientConfig> = {},
): OrganizationsClient {
  return new OrganizationsClient({ endpoint: endpointUrl, region: 'us-east-1', credentials: credentialsOf(who), maxAttempts: 1, ...config });
}
