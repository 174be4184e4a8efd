import * as vscode from 'vscode';
import { redactingChannel, type AwsLogger } from './core/logger';
import { vscodePipelineUi } from './actions/vscodeUi';
import { LazyGateway } from './awsLoader';
import { useL10nBundle } from './l10nLayers';
import { ChangeLog } from './changeLog/changeLog';
import { checkRecipientsAfterShare } from './commands/checkRecipients';
import { registerCommands } from './commands/registerCommands';
import { createAwsExplorerData } from './explorer/awsExplorerData';
import { watchConfiguration } from './explorer/watchConfiguration';
import { RegionStore } from './regionStore';
import type { Services } from './services';
import { OrganizationStore } from './organizationStore';
import { readSettings, watchRequestBudget } from './settings';
import { ExplorerModel } from './tree/explorerModel';
import type { ExplorerNode } from './tree/nodes';
import { AmiTreeProvider } from './tree/treeProvider';
import { PolicyModel } from './policies/policyModel';
import { PolicyTreeProvider, type PolicyElement } from './policies/policyTree';
import type { UserPrompts } from './ui/prompts';
import { VsCodePrompts } from './ui/vscodePrompts';
import { watchAttention } from './tree/attention';

/** Returned from activate() for tests and scripts. */
export interface AmiSharingApi {
  model: ExplorerModel;
  /** The workspace's sharing manifests and their drift. */
  policies: PolicyModel;
  policyTreeProvider: vscode.TreeDataProvider<PolicyElement>;
  treeProvider: vscode.TreeDataProvider<ExplorerNode>;
  /** How long activate() took, in milliseconds (the benchmark and tests read it). */
  activationMs: number;
  /** Resolves once every after-share recipient check started so far has finished. */
  recipientChecksSettled(): Promise<void>;
  /** Replaces the prompt implementation (tests script their answers); returns the previous one. */
  setPrompts(prompts: UserPrompts): UserPrompts;
}

export function activate(context: vscode.ExtensionContext): AmiSharingApi {
  const started = performance.now();
  // The plain layers translate through @vscode/l10n: give it the bundle VS Code chose for this display language.
  useL10nBundle(vscode.l10n.bundle);
  // Everything written to the log passes through redaction: SDK error texts are not ours to trust.
  const log = redactingChannel(vscode.window.createOutputChannel('AMI Sharing', { log: true }));
  const logger: AwsLogger = log;
  const services = { context, log, prompts: new VsCodePrompts(), settings: () => settingsWithOrganizationNames(services), ui: vscodePipelineUi } as Partial<Services> as Services;
  const gateway = new LazyGateway({
    logger,
    requestBudgetPercent: watchRequestBudget(context.subscriptions),
    askMfaCode: async (profile, serial) => {
      const code = await services.prompts.input({
        title: vscode.l10n.t('MFA code for profile {0}', profile),
        prompt: vscode.l10n.t('Enter the current code of {0}', serial),
        validate: (value) => (/^\d{6}$/.test(value.trim()) ? undefined : vscode.l10n.t('The code has 6 digits.')),
      });
      if (!code) throw new Error(vscode.l10n.t('MFA code for profile {0} was not entered.', profile));
      return code.trim();
    },
  });
  const regionStore = new RegionStore(context.globalState);
  // Names read from AWS Organizations show up in the tree once read (on first share from a profile or form).
  const organizations = new OrganizationStore(gateway, logger, () => services.model.repaint());
  const changes = new vscode.EventEmitter<ExplorerNode | ExplorerNode[] | undefined>();
  const model = new ExplorerModel(
    createAwsExplorerData(gateway, {
      profileFilter: () => readSettings().profiles,
      rememberedRegions: (profile) => regionStore.get(profile),
      onProfiles: (configured, shown) =>
        void vscode.commands.executeCommand('setContext', 'amiSharing.welcome', configured === 0 ? 'noConfig' : shown === 0 ? 'allHidden' : 'profiles'),
    }),
    (nodes) => changes.fire(nodes),
  );
  const policies = new PolicyModel(gateway);
  const treeProvider = new AmiTreeProvider(model, changes.event, () => services.settings().accountNames, (profile, region, imageId) => [...new Set(policies.driftOf(profile, region, imageId).map((d) => d.policy))]);
  const policyTreeProvider = new PolicyTreeProvider(policies, () => services.settings().accountNames);
  const policyView = vscode.window.createTreeView('amiSharing.policies', { treeDataProvider: policyTreeProvider, showCollapseAll: true });
  // The main tree's drift markers follow the policies; the manifest is read once the Policies view is shown or a policy command runs.
  const policyChanges = policies.onDidChange(() => changes.fire(undefined));
  const treeView = vscode.window.createTreeView('amiSharing.images', { treeDataProvider: treeProvider, canSelectMany: true, showCollapseAll: true });
  const changeLog = new ChangeLog(vscode.Uri.joinPath(context.globalStorageUri, 'changes.jsonl').fsPath);
  Object.assign(services, { gateway, model, regionStore, treeView, changeLog, policies, organizations });
  const afterShare = checkRecipientsAfterShare(services);

  context.subscriptions.push(log, changes, treeView, policies, policyView, policyChanges, ...registerCommands(services), ...watchConfiguration(services), watchAttention(model, treeView, changes.event, logger));

  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms; the AWS SDK loads on first use.`);
  return {
    activationMs,
    model,
    policies,
    policyTreeProvider,
    treeProvider,
    recipientChecksSettled: () => afterShare.settled(),
    setPrompts(prompts) {
      const previous = services.prompts;
      services.prompts = prompts;
      return previous;
    },
  };
}

/** The settings, with account names from AWS Organizations added where amiSharing.accountNames has none. */
function settingsWithOrganizationNames(services: Services): ReturnType<typeof readSettings> {
  const settings = readSettings();
  return services.organizations ? { ...settings, accountNames: services.organizations.accountNames(settings.accountNames) } : settings;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
