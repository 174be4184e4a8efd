import { Command, Option } from 'commander';
import { redactSecrets } from '../core/redact';
import type { AwsGateway } from '../aws/gateway';
import type { CliContext } from './context';
import { cliGateway, cliIo, cliLogger, defaultChangeLogPath } from './host';
import { applyVerb } from './verbs/apply';
import { auditVerb } from './verbs/audit';
import { exportVerb } from './verbs/export';
import { planVerb } from './verbs/plan';

const MANIFEST_OPTION = ['--manifest <file>', 'the manifest', 'ami-sharing.json'] as const;

/** `ami-sharing <verb>`: the extension's engine in a terminal or a pipeline. Resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const io = cliIo();
  let exitCode = 0;
  const program = new Command('ami-sharing')
    .description('Share AMIs as a manifest says: plan, apply, audit and export, with the AWS config files and AWS_ENDPOINT_URL* like the AWS CLI.')
    .option('--change-log <path>', 'JSON Lines change log (intent before each call, result after)', defaultChangeLogPath())
    .option('--verbose', 'log every AWS call to stderr (redacted)')
    .showHelpAfterError()
    .exitOverride();
  const context = (): CliContext => {
    const globals = program.opts<{ changeLog: string; verbose?: boolean }>();
    const logger = cliLogger(io, globals.verbose === true);
    let gateway: Promise<AwsGateway> | undefined;
    return { io, logger, changeLogPath: globals.changeLog, gateway: () => (gateway ??= cliGateway(io, logger)) };
  };
  const run = (verb: (c: CliContext) => Promise<number>) => async () => {
    exitCode = await verb(context());
  };

  program
    .command('plan')
    .description('Show how the current sharing differs from the manifest. Exit 0: no drift, 2: drift, 1: error.')
    .option(...MANIFEST_OPTION)
    .option('--json', 'print { "changes": [...] } with entries in EC2\'s shapes')
    .action((options: { manifest: string; json?: boolean }) => run((c) => planVerb(c, options))());
  program
    .command('apply')
    .description('Reconcile the drift through the same checks, confirmation and change log as the extension. Exit 0 only when everything applied.')
    .option(...MANIFEST_OPTION)
    .option('--yes', 'do not ask (required without a terminal)')
    .option('--allow-public', 'allow making AMIs public')
    .action((options: { manifest: string; yes?: boolean; allowPublic?: boolean }) => run((c) => applyVerb(c, options))());
  program
    .command('audit')
    .description('List shared (or only public) AMIs across profiles and Regions.')
    .option('--public', 'only public AMIs')
    .option('--profiles <a,b>', 'profiles (default: every profile of the AWS config files)')
    .option('--regions <r1,r2>', "Regions (default: each profile's Region)")
    .option('--json', 'print { "images": [...], "errors": [...] }')
    .action((options: { public?: boolean; profiles?: string; regions?: string; json?: boolean }) => run((c) => auditVerb(c, options))());
  program
    .command('export')
    .description('Print the current sharing as Terraform or as a manifest.')
    .addOption(new Option('--terraform', 'aws_ami_launch_permission and aws_snapshot_create_volume_permission resources').conflicts('manifest'))
    .addOption(new Option('--manifest', 'an ami-sharing.json that describes the current sharing').conflicts('terraform'))
    .option('--profile <name>', 'one profile (default: all)')
    .option('--region <name>', "one Region (default: each profile's Region)")
    .option('--name-pattern <glob>', 'only AMIs whose name matches')
    .action((options: { terraform?: boolean; manifest?: boolean; profile?: string; region?: string; namePattern?: string }) => run((c) => exportVerb(c, options))());

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return 0;
    if (typeof code === 'string' && code.startsWith('commander.')) return 1;
    const text = error instanceof Error ? error.message : String(error);
    io.stderr.write(`error: ${redactSecrets(text)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
