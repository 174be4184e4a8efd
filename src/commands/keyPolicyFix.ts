import * as vscode from 'vscode';
import type { KeyAccess } from '../aws/encryption';
import { addStatements, describeRecipient, formatPolicy, removeRecipients, statementsFor, type Recipient } from '../core/keyPolicy';
import { loadAws } from '../awsLoader';
import type { Services } from '../services';

/** Shows the before/after key policy as a diff, asks, and applies it with PutKeyPolicy. */
export async function applyKeyPolicyChange(services: Services, profile: string, access: KeyAccess, mode: 'grant' | 'revoke', recipients: Recipient[]): Promise<boolean> {
  if (!access.policy) throw new Error(`The key policy of ${access.keyArn} could not be read: ${access.error ?? 'unknown error'}`);
  const after = mode === 'grant' ? addStatements(access.policy, statementsFor(recipients)) : removeRecipients(access.policy, recipients);
  const beforeText = formatPolicy(access.policy);
  const afterText = formatPolicy(after);
  if (beforeText === afterText) return true;
  const [left, right] = await Promise.all([
    vscode.workspace.openTextDocument({ content: beforeText, language: 'json' }),
    vscode.workspace.openTextDocument({ content: afterText, language: 'json' }),
  ]);
  await vscode.commands.executeCommand('vscode.diff', left.uri, right.uri, `Key policy of ${access.keyArn.split('/').pop()}: current ↔ proposed`, { preview: true });
  const who = recipients.map(describeRecipient).join(', ');
  const confirmed = await services.prompts.confirm(
    mode === 'grant' ? `Allow ${who} to use key ${access.keyArn}?` : `Remove ${who} from the key policy of ${access.keyArn}?`,
    mode === 'grant'
      ? 'Adds statements granting kms:Decrypt, kms:DescribeKey, kms:ReEncrypt*, kms:GenerateDataKey* and kms:CreateGrant (for AWS resources only), as shown in the diff editor.'
      : 'Removes only the statements AMI Sharing added for these recipients, as shown in the diff editor.',
    mode === 'grant' ? 'Update key policy' : 'Remove from key policy',
  );
  if (!confirmed) return false;
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  await aws.putKeyPolicy(gateway, profile, access.keyArn, after);
  void vscode.window.showInformationMessage(`Updated the key policy of ${access.keyArn}.`);
  return true;
}

export async function copyStatements(recipients: Recipient[]): Promise<void> {
  await vscode.env.clipboard.writeText(formatPolicy(statementsFor(recipients)));
  void vscode.window.showInformationMessage('Key policy statements copied to the clipboard: add them to the Statement list of the key policy.');
}

/**
 * After an unshare: if the AMIs' customer managed keys still grant the removed recipients through statements
 * AMI Sharing added, offer to take them out as well.
 */
export async function offerKeyPolicyCleanup(services: Services, profile: string, region: string, snapshotIdsByImage: string[][], removed: Recipient[]): Promise<void> {
  if (removed.length === 0) return;
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const keyArns = new Set<string>();
  for (const snapshotIds of snapshotIdsByImage) {
    const encryption = await aws.inspectImageEncryption(gateway, { profile, region }, snapshotIds).catch(() => undefined);
    for (const key of encryption?.customerManagedKeys ?? []) keyArns.add(key);
  }
  for (const keyArn of keyArns) {
    const access = await aws.keyAccessFor(gateway, profile, keyArn, removed);
    if (!access.policy || formatPolicy(removeRecipients(access.policy, removed)) === formatPolicy(access.policy)) continue;
    const choice = await services.prompts.choose(
      `The key policy of ${keyArn} still lets ${removed.map(describeRecipient).join(', ')} use the key`,
      'AMI Sharing added these grants when the AMI was shared. Remove them too? Other statements are left as they are.',
      ['Remove from key policy…'],
    );
    if (choice) await applyKeyPolicyChange(services, profile, access, 'revoke', removed);
  }
}
