import type { AwsGateway } from './aws/gateway';
import type { AwsLogger } from './core/logger';
import { configureLoadedLayer } from './l10nLayers';

export type AwsModule = typeof import('./aws/index');

let awsModule: Promise<AwsModule> | undefined;

/**
 * The AWS SDK is loaded on first use, never during activation. A plain require keeps it a separate file in
 * the package (esbuild maps it to dist/aws.js) and works the same in the compiled tests.
 */
export function loadAws(): Promise<AwsModule> {
  awsModule ??= Promise.resolve().then(() => configureLoadedLayer(require('./aws/index') as AwsModule));
  return awsModule;
}

export interface GatewayHost {
  logger: AwsLogger;
  askMfaCode(profile: string, mfaSerial: string): Promise<string>;
  /** amiSharing.requestBudgetPercent, read whenever a bucket refills. */
  requestBudgetPercent?: () => number;
}

/** Creates the one gateway lazily and hands the same instance to every caller. */
export class LazyGateway {
  private gateway: Promise<AwsGateway> | undefined;
  private readonly invalidated: ((profile?: string) => void)[] = [];
  constructor(private readonly host: GatewayHost) {}

  /** Caches built on AWS answers (the organizations read per profile) are dropped whenever the gateway's are. */
  onInvalidate(listener: (profile?: string) => void): void {
    this.invalidated.push(listener);
  }

  get(): Promise<AwsGateway> {
    this.gateway ??= loadAws().then(
      (aws) =>
        new aws.AwsGateway({
          logger: this.host.logger,
          mfaCodeProvider: (profile, serial) => this.host.askMfaCode(profile, serial),
          ...(this.host.requestBudgetPercent ? { requestBudgetPercent: this.host.requestBudgetPercent } : {}),
        }),
    );
    return this.gateway;
  }

  /** Resets cached config, credentials and clients without loading the SDK when it was never used. */
  async invalidate(profile?: string): Promise<void> {
    for (const listener of this.invalidated) listener(profile);
    if (this.gateway) (await this.gateway).invalidate(profile);
  }
}
