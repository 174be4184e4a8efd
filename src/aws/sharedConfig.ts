import { loadSharedConfigFiles } from '@smithy/core/config';
import type { ConfigSections } from '../core/endpoints';
import { profilesFromSections } from '../core/profiles';
import type { ProfileInfo } from '../core/types';

export interface SharedConfig {
  config: ConfigSections;
  credentials: ConfigSections;
  profiles: ProfileInfo[];
}

/** Reads AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (or ~/.aws) afresh, through the SDK's own parser. */
export async function readSharedConfig(): Promise<SharedConfig> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const config = configFile as ConfigSections;
  const credentials = credentialsFile as ConfigSections;
  return { config, credentials, profiles: profilesFromSections(config, credentials) };
}
