import type { AwsGateway } from '../aws/gateway';
import type { ChangeLog } from '../changeLog/changeLog';
import type { ImageRef } from '../core/changes';
import type { LaunchPermission } from '../core/types';
import type { UserPrompts } from '../ui/prompts';

/** What the pipeline needs of the editor, so it runs (and is tested) the same with or without VS Code. */
export interface PipelineUi {
  /** Runs work with progress: a cancellable notification for bulk work, the view's progress bar otherwise. */
  progress<T>(title: string, notification: boolean, work: (report: (message: string) => void, onCancel: (cancel: () => void) => void) => Promise<T>): PromiseLike<T>;
  /** A result notification; resolves with the action the user picked, if any (never awaited by the pipeline). */
  notify(severity: 'info' | 'warning' | 'error', message: string, actions: string[]): PromiseLike<string | undefined>;
  showPolicyDiff(keyArn: string, before: string, after: string): Promise<void>;
  copyText(text: string, note: string): Promise<void>;
}

export interface PipelineHost {
  prompts: UserPrompts;
  changeLog: ChangeLog;
  gateway: { get(): Promise<AwsGateway> };
  model: {
    setStatus(profile: string, region: string, imageId: string, status: { busy?: string; error?: string } | undefined): void;
    setPermissions(profile: string, region: string, imageId: string, permissions: LaunchPermission[]): void;
    refreshProfile(profile: string): void;
  };
  log: { info(message: string): void; warn(message: string): void; error(message: string): void; show?(): void };
  settings(): { confirmDestructiveActions: boolean; accountNames: Record<string, string> };
  ui: PipelineUi;
  /**
   * Told after each change which launch permissions it added, per AMI (only AMIs whose change succeeded).
   * Read-only observers only (the after-share recipient check): never a way to change anything.
   */
  onLaunchPermissionsAdded?(added: Array<{ image: ImageRef; add: LaunchPermission[] }>): void;
}
