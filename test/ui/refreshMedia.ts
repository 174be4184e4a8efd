// npm run media: the Marketplace icon (media/icon.png, 128×128, drawn from media/ami-sharing.svg) and the
// README screenshots (media/screenshots/, copied from the last UI test run's test-results/). Run after
// `AMI_SHARING_TEST_TIERS=ui node out/test/runAll.js`; nothing here is edited by hand.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const REPO = path.resolve(__dirname, '..', '..', '..');
const SCREENSHOTS = ['tree.png', 'form.png', 'form-bulk-plan.png', 'form-encryption.png'];

async function drawIcon(): Promise<void> {
  const svg = fs.readFileSync(path.join(REPO, 'media', 'ami-sharing.svg'), 'utf8').replace('stroke="currentColor"', 'stroke="#ffffff"');
  const browser = await chromium.launch({ executablePath: process.env.AMI_SHARING_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
    await page.setContent(
      `<body style="margin:0"><div style="width:128px;height:128px;border-radius:24px;background:linear-gradient(135deg,#ff9900,#d45b07);display:flex;align-items:center;justify-content:center">` +
        `<div style="width:92px;height:92px">${svg.replace('width="24" height="24"', 'width="92" height="92"')}</div></div></body>`,
    );
    await page.screenshot({ path: path.join(REPO, 'media', 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
}

function copyScreenshots(): void {
  const target = path.join(REPO, 'media', 'screenshots');
  fs.mkdirSync(target, { recursive: true });
  for (const name of SCREENSHOTS) {
    const source = path.join(REPO, 'test-results', name);
    if (fs.existsSync(source)) fs.copyFileSync(source, path.join(target, name));
    else console.warn(`${name} is not in test-results/: run the UI tests first`);
  }
}

drawIcon()
  .then(copyScreenshots)
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
