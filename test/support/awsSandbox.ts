import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAwsConfigFiles } from '../endpoint/awsFiles';
import type { Fixture } from '../endpoint/fixture/fixture';
import { startTestEndpoint, type StartOptions, type TestEndpoint } from '../endpoint/server';
import { AwsGateway } from '../../src/aws/gateway';
import { silentLogger } from '../../src/core/logger';
import { listImages } from '../../src/aws/images';
import type { ImageSummary } from '../../src/core/types';

/** dev's us-east-1 AMIs of the default fixture keyed n01…n07 (golden-al2023-2026-11-01…07). */
export type DevImages = Record<string, ImageSummary>;

export interface Sandbox {
  endpoint: TestEndpoint;
  /** A second endpoint serving the prod profile, when asked for. */
  prodEndpoint?: TestEndpoint;
  dir: string;
  gateway(options?: { mfaCode?: string; maxAttempts?: number; requestTimeoutMs?: number; credentialTimeoutMs?: number }): AwsGateway;
  /** Back to the fixture, then dev's us-east-1 AMIs by short name. */
  resetAndListDevImages(): Promise<DevImages>;
  close(): Promise<void>;
}

const AWS_VARIABLES = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL_STS', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

/**
 * Starts the test endpoint(s), writes config and credentials files for them and points the SDK at those
 * files only (never the developer's ~/.aws); restores the environment on close.
 */
export async function startSandbox(options: StartOptions & { separateProdEndpoint?: boolean; prodFixture?: Fixture } = {}): Promise<Sandbox> {
  const saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of AWS_VARIABLES) delete process.env[name];
  const endpoint = await startTestEndpoint(options);
  const prodEndpoint = options.separateProdEndpoint ? await startTestEndpoint({ ...options, ...(options.prodFixture ? { fixture: options.prodFixture } : {}) }) : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-sandbox-'));
  const files = writeAwsConfigFiles(dir, { default: endpoint.url, ...(prodEndpoint ? { prod: prodEndpoint.url } : {}) });
  process.env.AWS_CONFIG_FILE = files.configFile;
  process.env.AWS_SHARED_CREDENTIALS_FILE = files.credentialsFile;
  const gateways: AwsGateway[] = [];
  const sandbox: Sandbox = {
    endpoint,
    ...(prodEndpoint ? { prodEndpoint } : {}),
    dir,
    gateway(gatewayOptions = {}) {
      const gateway = new AwsGateway({
        logger: silentLogger,
        mfaCodeProvider: async () => {
          if (gatewayOptions.mfaCode === undefined) throw new Error('unexpected MFA prompt');
          return gatewayOptions.mfaCode;
        },
        ...(gatewayOptions.maxAttempts !== undefined ? { maxAttempts: gatewayOptions.maxAttempts } : {}),
        ...(gatewayOptions.requestTimeoutMs !== undefined ? { requestTimeoutMs: gatewayOptions.requestTimeoutMs } : {}),
        ...(gatewayOptions.credentialTimeoutMs !== undefined ? { credentialTimeoutMs: gatewayOptions.credentialTimeoutMs } : {}),
      });
      gateways.push(gateway);
      return gateway;
    },
    async resetAndListDevImages() {
      endpoint.reset();
      const listed = await listImages(sandbox.gateway(), { profile: 'dev', region: 'us-east-1' }, 'owned');
      return Object.fromEntries(listed.map((i) => [i.name.replace('golden-al2023-2026-11-', 'n'), i]));
    },
    async close() {
      await endpoint.close();
      await prodEndpoint?.close();
      fs.rmSync(dir, { recursive: true, force: true });
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
  return sandbox;
}
