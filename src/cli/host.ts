import * as os from 'node:os';
import * as path from 'node:path';
import type { PipelineHost } from '../actions/host';
import type { AwsGateway } from '../aws/gateway';
import { loadAws } from '../awsLoader';
import { ChangeLog } from '../changeLog/changeLog';
import { redactingLogger, type AwsLogger } from '../core/logger';
import { redactSecrets } from '../core/redact';
import { TerminalPrompts } from './terminalPrompts';

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Progress is shown only when stderr is a terminal. */
  progress(text: string): void;
  /** stdin and stderr are a terminal: questions can be asked. */
  interactive: boolean;
}

export function cliIo(): CliIo {
  const stderr = process.stderr;
  let shown = false;
  return {
    stdout: process.stdout,
    stderr,
    interactive: process.stdin.isTTY === true && stderr.isTTY === true,
    progress(text) {
      if (!stderr.isTTY) return;
      stderr.write(`\r\u001b[2K${text}`);
      shown = true;
      if (text === '' && shown) stderr.write('\r\u001b[2K');
    },
  };
}

/** Where the change log goes without --change-log: the XDG state directory. */
export function defaultChangeLogPath(): string {
  const base = process.env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'ami-sharing', 'changes.jsonl');
}

/** AWS calls logged to stderr with --verbose, always redacted; warnings and errors always. */
export function cliLogger(io: CliIo, verbose: boolean): AwsLogger {
  const write = (level: string) => (message: string) => io.stderr.write(`${level}: ${message}\n`);
  return redactingLogger({ info: verbose ? write('info') : () => undefined, debug: verbose ? write('debug') : () => undefined, warn: write('warning'), error: write('error') });
}

/** The same gateway as the extension's: shared config files, AWS_ENDPOINT_URL*, pacing, redaction. */
export async function cliGateway(io: CliIo, logger: AwsLogger): Promise<AwsGateway> {
  const aws = await loadAws();
  const prompts = new TerminalPrompts({ assumeYes: false, interactive: io.interactive, stderr: io.stderr });
  return new aws.AwsGateway({
    logger,
    mfaCodeProvider: async (profile, serial) => {
      const code = await prompts.input({ title: `MFA code for profile ${profile}`, prompt: `MFA code of ${serial} for profile ${profile}`, validate: (v) => (/^\d{6}$/.test(v.trim()) ? undefined : 'The code has 6 digits.') });
      if (!code) throw new Error(`MFA code for profile ${profile} was not entered.`);
      return code;
    },
  });
}

/** The pipeline's host in a terminal: prompts on the terminal, notifications on stderr, no VS Code. */
export function cliPipelineHost(io: CliIo, gateway: AwsGateway, options: { assumeYes: boolean; changeLogPath: string; logger: AwsLogger }): PipelineHost {
  return {
    prompts: new TerminalPrompts({ assumeYes: options.assumeYes, interactive: io.interactive, stderr: io.stderr }),
    changeLog: new ChangeLog(options.changeLogPath),
    gateway: { get: async () => gateway },
    model: { setStatus: () => undefined, setPermissions: () => undefined, refreshProfile: () => undefined },
    log: { info: options.logger.info, warn: options.logger.warn, error: options.logger.error },
    settings: () => ({ confirmDestructiveActions: true, accountNames: {} }),
    ui: {
      progress: (_title, _notification, work) => work((text) => io.progress(text), () => undefined),
      notify: async (severity, message) => {
        io.stderr.write(`${severity}: ${redactSecrets(message)}\n`);
        return undefined;
      },
      showPolicyDiff: async (keyArn, before, after) => {
        io.stderr.write(`Key policy of ${keyArn}\n--- before\n${before}\n+++ after\n${after}\n`);
      },
      copyText: async (text, note) => {
        io.stderr.write(`${note}\n${text}\n`);
      },
    },
  };
}
