import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { ec2ClientFor } from '../endpoint/clients';

const MAIN = join(__dirname, '..', 'endpoint', 'main.js');

test('main.js prints its URL, serves the default fixture and exits on SIGTERM', async () => {
  const child = spawn(process.execPath, [MAIN, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let output = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const match = /EC2 test endpoint listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
    const result = await ec2ClientFor(url, 'dev').send(new DescribeImagesCommand({ Owners: ['self'] }));
    assert.equal(result.Images?.length, 7);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0);
    }
  }
});
