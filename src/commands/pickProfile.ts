import * as l10n from '@vscode/l10n';
import { filterProfiles } from '../core/profiles';
import { readSettings } from '../settings';
import type { Services } from '../services';

/** Asks for a profile among the visible ones; undefined when the user cancels. */
export async function pickProfile(services: Services, title: string): Promise<string | undefined> {
  const config = await (await services.gateway.get()).sharedConfig();
  const profiles = filterProfiles(config.profiles, readSettings().profiles);
  if (profiles.length === 0) throw new Error(l10n.t('No AWS profiles are configured. Add one to your AWS config file.'));
  if (profiles.length === 1) return profiles[0]!.name;
  return services.prompts.pickOne(
    profiles.map((profile) => ({
      label: profile.name,
      description: [profile.region, profile.credentialKind].filter(Boolean).join(' · '),
      value: profile.name,
    })),
    { title, placeHolder: l10n.t('AWS profile') },
  );
}
