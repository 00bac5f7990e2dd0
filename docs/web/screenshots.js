// The screenshots in docs/web/: the bundled map as govmap serve shows it.
//   build/cli/govmap serve --listen 127.0.0.1:8080 &   (on the bundled map: govmap seed)
//   node docs/web/screenshots.js http://127.0.0.1:8080/ docs/web
// With a third argument, `synthetic`, the views of a 100 000-mechanism map made by
// `govmap synth --mechanisms 100000` (docs/benchmarks.md) instead.
// Uses playwright-core from tests/node_modules and Debian's /usr/bin/chromium.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', '..', 'tests', 'node_modules', 'playwright-core'));

const [base, out, which] = process.argv.slice(2);
const shots = which === 'synthetic'
  ? [['synthetic-100k.png', '?view=map'], ['synthetic-100k-issue.png', '?view=map&under=c0.a0.i1']]
  : [['map.png', '?view=map&under=security&m=igf'], ['gaps.png', '?view=gaps&level=area'],
    ['map-2014.png', '?view=map&as-of=2014']];

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'govmap-shots-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.GOVMAP_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await context.newPage();
    for (const [file, query] of shots) {
      await page.goto(new URL(query, base).toString());
      await page.waitForFunction(() => window.govmapTest && window.govmapTest.idle(), null, { timeout: 60000 });
      if (query.includes('m=')) await page.waitForFunction(() => document.body.dataset.panel === 'ready');
      await page.waitForTimeout(1500);  // the layout's animation settles
      await page.screenshot({ path: path.join(out, file) });
      console.log('wrote', path.join(out, file));
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})().catch((e) => { console.error(e); process.exit(1); });
