import * as vscode from 'vscode';
import { loadAws } from '../awsLoader';
import { recipientsSummary, type RecipientCheck } from '../core/recipients';
import type { LaunchPermission } from '../core/types';
import type { Services } from '../services';
import { IMAGE_ID, PROFILE_NAME, REGION_NAME, type Invocation } from './arguments';
import { ownedImagesOf, type ImageRef } from './imageRefs';
import { pickImages } from './pickImages';

const ACCOUNT_ID = { test: /^\d{12}$/, describe: 'account IDs (12 digits)' };

export interface CheckRecipientsResult {
  results: Array<Omit<RecipientCheck, 'fixes'>>;
}

interface CheckRequest {
  profile: string;
  region: string;
  imageId: string;
  accountIds?: string[];
}

/** Runs the check, puts its summary on the AMI's tooltip and each recipient's verdict and reasons in the log. */
async function runCheck(services: Services, request: CheckRequest): Promise<CheckRecipientsResult> {
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const checks = await aws.checkRecipients(gateway, request);
  const results = checks.map(({ fixes: _fixes, ...result }) => result);
  services.model.setRecipientSummary(request.profile, request.region, request.imageId, recipientsSummary(results));
  for (const result of results) {
    services.log.info(`${request.imageId} recipient ${result.accountId}${result.profile ? ` (profile ${result.profile})` : ''}: launch ${result.canLaunch}, copy ${result.canCopy}${result.reasons.length ? ` — ${result.reasons.join(' ')}` : ''}`);
  }
  return { results };
}

/**
 * amiSharing.checkRecipients: can each recipient really launch and copy the AMI? Read-only: the owner's
 * side from the AMI's profile, the recipient's side from every profile here that belongs to a recipient.
 */
export async function checkRecipients(services: Services, call: Invocation): Promise<CheckRecipientsResult | undefined> {
  let request: CheckRequest;
  if (call.kind === 'script') {
    const argument = call.argument.only('profile', 'region', 'imageId', 'accountIds');
    const accountIds = argument.optionalList('accountIds', ACCOUNT_ID);
    request = {
      profile: argument.text('profile', PROFILE_NAME),
      region: argument.text('region', REGION_NAME),
      imageId: argument.text('imageId', IMAGE_ID),
      ...(accountIds ? { accountIds } : {}),
    };
  } else {
    const image: ImageRef | undefined = call.kind === 'nodes' ? ownedImagesOf('amiSharing.checkRecipients', call.nodes)[0] : (await pickImages(services, vscode.l10n.t('Check recipients'), false))?.[0];
    if (!image) return undefined;
    request = { profile: image.profile, region: image.region, imageId: image.imageId };
  }
  const result = await runCheck(services, request);
  if (call.kind !== 'script') {
    services.log.show();
    void vscode.window.showInformationMessage(vscode.l10n.t('{0}: {1}. The reasons are in the AMI Sharing log.', request.imageId, recipientsSummary(result.results)));
  }
  return result;
}

/**
 * After a share: the check runs for the new recipients on its own (amiSharing.checkRecipientsAfterShare), in
 * the background; the summary lands in the AMI's tooltip and the reasons in the log. It never fails the share.
 */
export async function checkNewRecipients(services: Services, images: ReadonlyArray<{ profile: string; region: string; imageId: string }>, added: readonly LaunchPermission[]): Promise<void> {
  const accountIds = added.flatMap((p) => (p.UserId ? [p.UserId] : []));
  const viaOrganization = added.some((p) => p.OrganizationArn || p.OrganizationalUnitArn);
  if (accountIds.length === 0 && !viaOrganization) return;
  await Promise.all(
    images.map(async (image) => {
      try {
        // Organizations and OUs expand to their members with a profile here: the default recipients.
        await runCheck(services, { ...image, ...(viaOrganization ? {} : { accountIds }) });
      } catch (error) {
        services.log.warn(`Checking the recipients of ${image.imageId} after the share failed: ${(error as Error).message}`);
      }
    }),
  );
}
