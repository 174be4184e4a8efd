import type * as vscode from 'vscode';
import type { PipelineHost, PipelineUi } from './actions/host';
import type { LazyGateway } from './awsLoader';
import type { PolicyModel } from './policies/policyModel';
import type { ChangeLog } from './changeLog/changeLog';
import type { RegionStore } from './regionStore';
import type { OrganizationStore } from './organizationStore';
import type { ExplorerModel } from './tree/explorerModel';
import type { ExplorerNode } from './tree/nodes';
import type { UserPrompts } from './ui/prompts';

/** What commands need, passed explicitly so tests can swap the prompts. */
export interface Services extends PipelineHost {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  prompts: UserPrompts;
  gateway: LazyGateway;
  model: ExplorerModel;
  regionStore: RegionStore;
  changeLog: ChangeLog;
  /** The workspace's sharing manifests and their drift. */
  policies: PolicyModel;
  /** What each profile can read of AWS Organizations (member accounts, OUs), once per session. */
  organizations: OrganizationStore;
  treeView: vscode.TreeView<ExplorerNode>;
  settings(): { confirmDestructiveActions: boolean; accountNames: Record<string, string> };
  ui: PipelineUi;
}
