import * as vscode from 'vscode';
import { ArgumentError, PROFILE_NAME, type Invocation } from './arguments';

/** Opens a terminal running `aws sso login` for the profile whose SSO session expired. */
export function ssoLogin(call: Invocation): void {
  if (call.kind !== 'script') throw new ArgumentError(vscode.l10n.t('amiSharing.ssoLogin: needs { profile } (offered on a profile whose SSO session expired).'));
  const profile = call.argument.only('profile').text('profile', PROFILE_NAME);
  const terminal = vscode.window.createTerminal({ name: `aws sso login (${profile})` });
  terminal.show();
  terminal.sendText(`aws sso login --profile ${profile}`);
}

/** Opens a terminal running `aws configure sso`, the AWS CLI's wizard that writes an IAM Identity Center profile. */
export function configureSso(): void {
  const terminal = vscode.window.createTerminal({ name: 'aws configure sso' });
  terminal.show();
  terminal.sendText('aws configure sso');
}
