import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

// l10n-ignore: the starter AWS config file is read by the AWS tools, not shown as UI text.
const TEMPLATE = `# AWS shared config. Add one section per profile, for example:
# [profile dev]
# region = us-east-1
# sso_session = my-sso
#
# Static keys belong in the credentials file (${'$'}AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials).
`;

/** Opens the AWS config file the SDK reads (AWS_CONFIG_FILE or ~/.aws/config), creating it when missing. */
export async function openConfigFile(): Promise<void> {
  const file = process.env.AWS_CONFIG_FILE || path.join(os.homedir(), '.aws', 'config');
  try {
    await fs.access(file);
  } catch {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, TEMPLATE, { flag: 'wx' }).catch(() => undefined);
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file));
}
