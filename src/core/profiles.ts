import type { ConfigSections } from './endpoints';
import type { CredentialKind, ProfileInfo } from './types';

/**
 * Builds the profile list from the parsed shared config and credentials files.
 * Only key names are read from the credentials file; secret values never leave the SDK's parser.
 */
export function profilesFromSections(config: ConfigSections, credentials: ConfigSections): ProfileInfo[] {
  const names = new Set<string>();
  for (const key of Object.keys(config)) {
    if (!key.includes('.')) {
      names.add(key);
    }
  }
  for (const key of Object.keys(credentials)) {
    names.add(key);
  }
  return [...names].sort(compareProfileNames).map((name) => describeProfile(name, config, credentials));
}

function compareProfileNames(a: string, b: string): number {
  if (a === 'default') return -1;
  if (b === 'default') return 1;
  return a.localeCompare(b);
}

function describeProfile(name: string, config: ConfigSections, credentials: ConfigSections): ProfileInfo {
  const settings = config[name] ?? {};
  const secrets = credentials[name] ?? {};
  const ssoSessionName = settings.sso_session;
  const ssoSession = ssoSessionName ? config[`sso-session.${ssoSessionName}`] : undefined;
  const info: ProfileInfo = {
    name,
    credentialKind: credentialKindOf(settings, secrets),
  };
  const region = settings.region ?? secrets.region;
  if (region) info.region = region;
  if (settings.mfa_serial) info.mfaSerial = settings.mfa_serial;
  if (settings.role_arn) info.roleArn = settings.role_arn;
  if (settings.source_profile) info.sourceProfile = settings.source_profile;
  if (ssoSessionName) info.ssoSession = ssoSessionName;
  const startUrl = settings.sso_start_url ?? ssoSession?.sso_start_url;
  if (startUrl) info.ssoStartUrl = startUrl;
  return info;
}

function credentialKindOf(
  settings: Record<string, string | undefined>,
  secrets: Record<string, string | undefined>,
): CredentialKind {
  if (settings.role_arn && settings.web_identity_token_file) return 'web-identity';
  if (settings.role_arn) return 'role';
  if (settings.sso_session || settings.sso_start_url) return 'sso';
  if (settings.credential_process || secrets.credential_process) return 'process';
  if (secrets.aws_access_key_id || settings.aws_access_key_id) return 'static';
  return 'unknown';
}

export function filterProfiles(profiles: ProfileInfo[], allowed: readonly string[]): ProfileInfo[] {
  if (allowed.length === 0) {
    return profiles;
  }
  const wanted = new Set(allowed);
  return profiles.filter((profile) => wanted.has(profile.name));
}
