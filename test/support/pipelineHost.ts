import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PipelineHost } from '../../src/actions/host';
import type { AwsGateway } from '../../src/aws/gateway';
import { ChangeLog } from '../../src/changeLog/changeLog';
import { ScriptedPrompts, type ScriptedAnswer } from '../../src/ui/scriptedPrompts';

/** The pipeline's host without VS Code: scripted prompts, a change log in a temp folder, recorded UI. */
export interface TestHost extends PipelineHost {
  prompts: ScriptedPrompts;
  changeLog: ChangeLog;
  statuses: Array<{ imageId: string; status: { busy?: string; error?: string } | undefined }>;
  notifications: Array<{ severity: string; message: string; actions: string[] }>;
  diffs: Array<{ keyArn: string; before: string; after: string }>;
  confirmDestructiveActions: boolean;
  dispose(): void;
}

export function testHost(gateway: AwsGateway, answers: ScriptedAnswer[] = [], options: { accountNames?: Record<string, string> } = {}): TestHost {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-pipeline-'));
  const host: TestHost = {
    prompts: new ScriptedPrompts(answers),
    changeLog: new ChangeLog(path.join(dir, 'changes.jsonl')),
    gateway: { get: async () => gateway },
    statuses: [],
    notifications: [],
    diffs: [],
    confirmDestructiveActions: true,
    model: {
      setStatus: (_profile, _region, imageId, status) => host.statuses.push({ imageId, status }),
      setPermissions: () => undefined,
      refreshProfile: () => undefined,
    },
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    settings: () => ({ confirmDestructiveActions: host.confirmDestructiveActions, accountNames: options.accountNames ?? {} }),
    ui: {
      progress: (_title, _notification, work) => work(() => undefined, () => undefined),
      notify: async (severity, message, actions) => {
        host.notifications.push({ severity, message, actions });
        return undefined;
      },
      showPolicyDiff: async (keyArn, before, after) => {
        host.diffs.push({ keyArn, before, after });
      },
      copyText: async () => undefined,
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  return host;
}

import { runChange } from '../../src/actions/pipeline';
import type { ChangeOptions, ImageOutcome } from '../../src/actions/changeTypes';
import type { RemoveSpec } from '../../src/core/changes';
import type { PermissionChange } from '../../src/core/permissionPlan';
import type { LaunchPermission } from '../../src/core/types';

/** How the tests run a change as a script would: not interactive, so a cancelled prompt is an error. */
export const SCRIPTED_CHANGE: ChangeOptions = { action: 'Test', title: 'Apply?', confirmLabel: 'Apply', busyLabel: 'Applying…', interactive: false };

/** One AMI's launch-permission change through the whole pipeline, as a script would (no confirmation asked). */
export async function changeOne(
  gateway: AwsGateway,
  imageId: string,
  add: LaunchPermission[],
  remove: RemoveSpec,
  options: { profile?: string; region?: string; includeSnapshots?: boolean; host?: TestHost } = {},
): Promise<ImageOutcome & { applied: PermissionChange; host: TestHost }> {
  const host = options.host ?? testHost(gateway);
  host.confirmDestructiveActions = options.host ? host.confirmDestructiveActions : false;
  const image = { profile: options.profile ?? 'dev', region: options.region ?? 'us-east-1', imageId };
  const outcome = await runChange(host, [{ kind: 'launchPermissions', image, add, remove, snapshots: options.includeSnapshots === true }], SCRIPTED_CHANGE);
  const launch = outcome!.steps.find((s) => s.step.address.kind === 'launchPermissions');
  return { ...outcome!.results[0]!, applied: launch?.applied ?? { add: [], remove: [] }, host };
}

import { after, before, beforeEach } from 'node:test';
import type { ImageSummary } from '../../src/core/types';
import { startSandbox, type Sandbox } from './awsSandbox';

export interface PipelineSuite {
  readonly sandbox: Sandbox;
  /** dev's us-east-1 AMIs of the fixture, n01…n07, as listed before this test. */
  readonly images: Record<string, ImageSummary>;
  /** A fresh host (scripted prompts, change log in a temp folder) for this test, on a 2-attempt gateway. */
  readonly host: TestHost;
}

/** The set-up of a suite that runs changes through the pipeline: one endpoint, reset with a fresh host before each test. */
export function pipelineSuite(): PipelineSuite {
  const suite = {} as { sandbox: Sandbox; images: Record<string, ImageSummary>; host: TestHost };
  before(async () => {
    suite.sandbox = await startSandbox();
  });
  beforeEach(async () => {
    suite.images = await suite.sandbox.resetAndListDevImages();
    suite.host = testHost(suite.sandbox.gateway({ maxAttempts: 2 }));
  });
  after(async () => suite.sandbox.close());
  return suite;
}
