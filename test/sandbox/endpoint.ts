// The sandbox endpoint alone, for F5: the local EC2/STS/KMS endpoint with the example AMIs on a fixed port,
// and AWS config files for it in .sandbox/aws/ (the Extension Development Host reads those, never ~/.aws).
import * as path from 'node:path';
import { writeAwsConfigFiles } from '../endpoint/awsFiles';
import { startTestEndpoint } from '../endpoint/server';

const REPO = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const endpoint = await startTestEndpoint({ port: Number(process.env.AMI_SHARING_SANDBOX_PORT ?? 4599), latencyMs: 30 });
  const files = writeAwsConfigFiles(path.join(REPO, '.sandbox', 'aws'), { default: endpoint.url });
  // tasks.json's background problem matcher waits for this line.
  console.log(`Sandbox endpoint ready on ${endpoint.url}; AWS config in ${path.dirname(files.configFile)}`);
  const stop = async () => {
    await endpoint.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
