import * as vscode from 'vscode';
import { checkNewRecipients, runRecipientCheck, type RecipientCheckRequest } from '../actions/recipientCheck';
import { recipientsSummary, type RecipientCheck } from '../core/recipients';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { IMAGE_ID, PROFILE_NAME, REGION_NAME, type Invocation } from './arguments';
import { ownedImagesOf, type ImageRef } from './imageRefs';
import { pickImages } from './pickImages';

const ACCOUNT_ID = { test: /^\d{12}$/, describe: 'account IDs (12 digits)' };

export interface CheckRecipientsResult {
  results: Array<Omit<RecipientCheck, 'fixes'>>;
}

async function runCheck(services: Services, request: RecipientCheckRequest): Promise<CheckRecipientsResult> {
  const checks = await runRecipientCheck(services, request);
  return { results: checks.map(({ fixes: _fixes, ...result }) => result) };
}

/**
 * amiSharing.checkRecipients: can each recipient really launch and copy the AMI? Read-only: the owner's
 * side from the AMI's profile, the recipient's side from every profile here that belongs to a recipient.
 */
export async function checkRecipients(services: Services, call: Invocation): Promise<CheckRecipientsResult | undefined> {
  let request: RecipientCheckRequest;
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
 * After a share (from a command, the form or anywhere else through the pipeline): the check runs for the new
 * recipients on its own while amiSharing.checkRecipientsAfterShare is on, in the background. `settled` resolves
 * once every check started so far has finished (tests wait on it instead of on time).
 */
export function checkRecipientsAfterShare(services: Services): { settled(): Promise<void> } {
  const running = new Set<Promise<void>>();
  services.onLaunchPermissionsAdded = (added) => {
    if (!readSettings().checkRecipientsAfterShare) return;
    const check = checkNewRecipients(services, added).finally(() => running.delete(check));
    running.add(check);
  };
  return {
    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
