/**
 * Resolves the configured endpoint of one service for one profile, with the SDK's precedence.
 * The SDK only applies config-file endpoints for the AWS_PROFILE profile, so each client is given
 * its endpoint explicitly from here.
 */

export type ServiceId = 'ec2' | 'sts' | 'kms' | 'organizations';

export type IniSection = Record<string, string | undefined>;
/** Sections as @smithy/core's loadSharedConfigFiles returns them: profile names, and `services.NAME` keys. */
export type ConfigSections = Record<string, IniSection | undefined>;

export function isTruthySetting(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'true';
}

export function configuredEndpoint(
  service: ServiceId,
  profileName: string,
  config: ConfigSections,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const profile = config[profileName] ?? {};
  const ignoreSetting = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? profile.ignore_configured_endpoint_urls;
  if (isTruthySetting(ignoreSetting)) {
    return undefined;
  }
  const fromEnv = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env.AWS_ENDPOINT_URL;
  if (fromEnv) {
    return fromEnv;
  }
  if (profile.services) {
    const section = config[`services.${profile.services}`];
    const fromServices = section?.[`${service}.endpoint_url`];
    if (fromServices) {
      return fromServices;
    }
  }
  return profile.endpoint_url || undefined;
}

/**
 * The endpoint to pass to a client. When this profile configures none but the AWS_PROFILE profile does,
 * the SDK would silently use that other profile's endpoint, so the public endpoint is pinned instead.
 */
export function endpointForClient(
  service: ServiceId,
  profileName: string,
  region: string,
  config: ConfigSections,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const own = configuredEndpoint(service, profileName, config, env);
  if (own) {
    return own;
  }
  const ambientProfile = env.AWS_PROFILE || 'default';
  if (ambientProfile !== profileName && configuredEndpoint(service, ambientProfile, config, env)) {
    const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return `https://${service}.${region}.${suffix}`;
  }
  return undefined;
}
