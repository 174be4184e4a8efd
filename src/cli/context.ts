import type { AwsGateway } from '../aws/gateway';
import type { AwsLogger } from '../core/logger';
import type { CliIo } from './host';

/** What every verb gets: the terminal, one lazily created gateway, the logger and the global options. */
export interface CliContext {
  io: CliIo;
  logger: AwsLogger;
  gateway(): Promise<AwsGateway>;
  changeLogPath: string;
}
