import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ACCOUNTS, DEFAULT_ROLES, EXPIRED_ACCESS_KEY_ID } from './fixture/defaultFixture';

/**
 * Shared config and credentials files for the default fixture, so code under test can resolve
 * profiles the way it does against AWS (point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at them).
 *
 * Profiles: dev (us-east-1), prod (eu-west-1), tools (role in 333333333333 assumed from dev),
 * tools-mfa (same, role requires MFA code 123456), expired (key the endpoint rejects).
 */

export interface AwsConfigEndpoints {
  /** endpoint_url of every profile. */
  default: string;
  /** endpoint_url of the prod profile, when it should differ (e.g. a second endpoint). */
  prod?: string;
}

export interface AwsConfigFiles {
  configFile: string;
  credentialsFile: string;
}

function section(name: string, settings: Record<string, string>): string {
  const lines = Object.entries(settings).map(([key, value]) => `${key} = ${value}`);
  return `[${name}]\n${lines.join('\n')}\n`;
}

export function writeAwsConfigFiles(dir: string, endpoints: AwsConfigEndpoints): AwsConfigFiles {
  const { dev, prod, tools } = DEFAULT_ACCOUNTS;
  mkdirSync(dir, { recursive: true });

  const config = [
    section('profile dev', { region: dev.region, endpoint_url: endpoints.default }),
    section('profile prod', { region: prod.region, endpoint_url: endpoints.prod ?? endpoints.default }),
    section('profile tools', {
      role_arn: DEFAULT_ROLES.admin,
      source_profile: 'dev',
      region: tools.region,
      endpoint_url: endpoints.default,
    }),
    section('profile tools-mfa', {
      role_arn: DEFAULT_ROLES.adminWithMfa,
      source_profile: 'dev',
      mfa_serial: DEFAULT_ROLES.devMfaSerial,
      region: tools.region,
      endpoint_url: endpoints.default,
    }),
    section('profile expired', { region: 'us-east-1', endpoint_url: endpoints.default }),
  ].join('\n');

  const credentials = [
    section('dev', { aws_access_key_id: dev.accessKeyId, aws_secret_access_key: dev.secretAccessKey }),
    section('prod', { aws_access_key_id: prod.accessKeyId, aws_secret_access_key: prod.secretAccessKey }),
    section('expired', { aws_access_key_id: EXPIRED_ACCESS_KEY_ID, aws_secret_access_key: 'expiredsecret' }),
  ].join('\n');

  const configFile = join(dir, 'config');
  const credentialsFile = join(dir, 'credentials');
  writeFileSync(configFile, config, { mode: 0o600 });
  writeFileSync(credentialsFile, credentials, { mode: 0o600 });
  return { configFile, credentialsFile };
}
