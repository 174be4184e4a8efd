import * as vscode from 'vscode';
import { loadAws } from '../awsLoader';
import { recipientsSummary, type RecipientCheck } from '../core/recipients';
import type { Services } from '../services';
import { IMAGE_ID, PROFILE_NAME, REGION_NAME, type Invocation } from './arguments';
import { ownedImagesOf, type ImageRef } from './imageRefs';
import { pickImages } from './pickImages';

const ACCOUNT_ID = { test: /^\d{12}$/, describe: 'account IDs (12 digits)' };

export interface CheckRecipientsResult {
  results: Array<Omit<RecipientCheck, 'fixes'>>;
}

/**
 * amiSharing.checkRecipients: can each recipient really launch and copy the AMI? Read-only: the owner's
 * side from the AMI's profile, the recipient's side from every profile here that belongs to a recipient.
 */
export async function checkRecipients(services: Services, call: Invocation): Promise<CheckRecipientsResult | undefined> {
  let request: { profile: string; region: string; imageId: string; accountIds?: string[] };
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
    const image: ImageRef | undefined = call.kind === 'nodes' ? ownedImagesOf('amiSharing.checkRecipients', call.nodes)[0] : (await pickImages(services, 'Check recipients', false))?.[0];
    if (!image) return undefined;
    request = { profile: image.profile, region: image.region, imageId: image.imageId };
  }
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const checks = await aws.checkRecipients(gateway, request);
  const results = checks.map(({ fixes: _fixes, ...result }) => result);
  for (const result of results) {
    services.log.info(`${request.imageId} recipient ${result.accountId}${result.profile ? ` (profile ${result.profile})` : ''}: launch ${result.canLaunch}, copy ${result.canCopy}${result.reasons.length ? ` — ${result.reasons.join(' ')}` : ''}`);
  }
  if (call.kind !== 'script') {
    services.log.show();
    void vscode.window.showInformationMessage(`${request.imageId}: ${recipientsSummary(results)}. The reasons are in the AMI Sharing log.`);
  }
  return { results };
}
