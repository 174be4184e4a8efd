import * as l10n from '@vscode/l10n';
import { loadAws } from '../awsLoader';
import type { ImageRef } from '../core/changes';
import type { RecipientCheck, Verdict } from '../core/recipients';
import type { LaunchPermission } from '../core/types';
import type { PipelineHost } from './host';

/**
 * The one recipient check (can each recipient really launch and copy the AMI?) that the command, the form and
 * the after-share check all run. Read-only: it never changes anything, so it is not a pipeline change.
 */

export interface RecipientCheckRequest {
  profile: string;
  region: string;
  imageId: string;
  accountIds?: string[];
}

/** What the check needs of its host: the gateway, the log, notifications, and the tooltip's summary. */
export type RecipientCheckHost = Pick<PipelineHost, 'gateway' | 'ui'> & {
  log: { info(message: string): void; warn(message: string): void; show?(): void };
  model: { setRecipientVerdicts(profile: string, region: string, imageId: string, results: ReadonlyArray<{ accountId: string; canLaunch: Verdict }>, everyRecipient: boolean): void };
};

/** Runs the check, puts its verdicts on the AMI's tooltip ("3 of 4 recipients can launch") and each recipient's verdict and reasons in the log. */
export async function runRecipientCheck(host: RecipientCheckHost, request: RecipientCheckRequest): Promise<RecipientCheck[]> {
  const [aws, gateway] = await Promise.all([loadAws(), host.gateway.get()]);
  const checks = await aws.checkRecipients(gateway, request);
  host.model.setRecipientVerdicts(request.profile, request.region, request.imageId, checks, request.accountIds === undefined);
  for (const result of checks) {
    host.log.info(
      `${request.imageId} recipient ${result.accountId}${result.profile ? ` (profile ${result.profile})` : ''}: launch ${result.canLaunch}, copy ${result.canCopy}${result.reasons.length ? ` — ${result.reasons.join(' ')}` : ''}`,
    );
  }
  return checks;
}

/** Launch permissions a change added to one AMI (what the pipeline reports to `PipelineHost.onLaunchPermissionsAdded`). */
export interface AddedLaunchPermissions {
  image: ImageRef;
  add: LaunchPermission[];
}

/**
 * After a share: checks the new recipients (accounts; organizations and OUs expand to their members with a
 * profile here) of each AMI. The summary lands in the tooltip and the reasons in the log; a notification shows
 * only when some recipient cannot launch or copy. It never fails the share: errors go to the log.
 */
export async function checkNewRecipients(host: RecipientCheckHost, added: readonly AddedLaunchPermissions[]): Promise<void> {
  await Promise.all(
    added.map(async ({ image, add }) => {
      const recipients = add.filter((p) => p.Group !== 'all');
      const accountIds = [...new Set(recipients.flatMap((p) => (p.UserId ? [p.UserId] : [])))];
      const viaOrganization = recipients.some((p) => p.OrganizationArn || p.OrganizationalUnitArn);
      if (accountIds.length === 0 && !viaOrganization) return;
      try {
        const request = { profile: image.profile, region: image.region, imageId: image.imageId, ...(viaOrganization ? {} : { accountIds }) };
        const checks = await runRecipientCheck(host, request);
        const blocked = checks.filter((c) => c.canLaunch === 'no' || c.canCopy === 'no');
        if (blocked.length === 0) return;
        const cannot = blocked.map((c) =>
          c.canLaunch === 'no'
            ? l10n.t('{0} cannot launch it', c.accountId)
            : c.canLaunch === 'yes'
              ? l10n.t('{0} can launch but not copy it', c.accountId)
              : l10n.t('{0} cannot copy it', c.accountId),
        );
        const showLog = l10n.t('Show log');
        // Not awaited: the notification stays until the user acts; the check itself is done.
        void host.ui.notify('warning', l10n.t('Shared {0}, but {1}. The reasons are in the AMI Sharing log.', image.imageId, cannot.join('; ')), [showLog]).then((choice) => {
          if (choice === showLog) host.log.show?.();
        });
      } catch (error) {
        host.log.warn(`Checking the recipients of ${image.imageId} after the share failed: ${(error as Error).message}`);
      }
    }),
  );
}
