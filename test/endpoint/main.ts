import { generatedFixture } from './fixture/fixture';
import { startTestEndpoint, type StartOptions } from './server';

/**
 * Command line: `node out/test/endpoint/main.js [--port 4566] [--host 127.0.0.1] [--latency-ms 0]
 * [--throttling] [--copy-delay-ms 300] [--image-order-seed N] [--generated ACCOUNTS,REGIONS,IMAGES_PER_REGION]`. Starts the endpoint with the
 * default fixture (or a generated one) and runs until SIGINT/SIGTERM.
 */

function usage(message: string): never {
  process.stderr.write(
    `${message}\nUsage: main.js [--port N] [--host H] [--latency-ms N] [--throttling] [--copy-delay-ms N] [--image-order-seed N] [--generated A,R,I]\n`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): StartOptions {
  const options: StartOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => argv[++i] ?? usage(`${arg} needs a value`);
    const number = (): number => {
      const n = Number(value());
      return Number.isInteger(n) && n >= 0 ? n : usage(`${arg} needs a non-negative integer`);
    };
    switch (arg) {
      case '--port':
        options.port = number();
        break;
      case '--host':
        options.host = value();
        break;
      case '--latency-ms':
        options.latencyMs = number();
        break;
      case '--throttling':
        options.throttling = true;
        break;
      case '--copy-delay-ms':
        options.copyDelayMs = number();
        break;
      case '--image-order-seed':
        options.imageOrderSeed = number();
        break;
      case '--generated': {
        const [accounts, regions, imagesPerRegion] = value().split(',').map(Number);
        if (![accounts, regions, imagesPerRegion].every((n) => Number.isInteger(n) && (n ?? 0) > 0)) {
          usage('--generated needs ACCOUNTS,REGIONS,IMAGES_PER_REGION');
        }
        options.fixture = generatedFixture({
          accounts: accounts ?? 3,
          regions: regions ?? 2,
          imagesPerRegion: imagesPerRegion ?? 10,
        });
        break;
      }
      case '--help':
      case '-h':
        usage('AMI Sharing test endpoint (EC2 + STS + KMS)');
        break;
      default:
        usage(`Unknown argument: ${arg}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  const endpoint = await startTestEndpoint(parseArgs(process.argv.slice(2)));
  process.stdout.write(`EC2 test endpoint listening on ${endpoint.url}\n`);
  const stop = (): void => {
    endpoint.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not start the test endpoint: ${String(error)}\n`);
  process.exit(1);
});
