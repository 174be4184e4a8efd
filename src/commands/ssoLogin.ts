import * as vscode from 'vscode';

const PROFILE_NAME = /^[\w.@+:/-]+$/;

/** Opens a terminal running `aws sso login` for the profile whose SSO session expired. */
export function ssoLogin(argument: { profile?: unknown } | undefined): void {
  const profile = argument?.profile;
  if (typeof profile !== 'string' || !PROFILE_NAME.test(profile)) {
    throw new Error('aws sso login needs a profile name.');
  }
  const terminal = vscode.window.createTerminal({ name: `aws sso login (${profile})` });
  terminal.show();
  terminal.sendText(`aws sso login --profile ${profile}`);
}
