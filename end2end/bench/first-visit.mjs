// What a first visit transfers, as the browser fetched it: for each page given, a fresh browser
// context (empty cache) loads it, waits until the page is hydrated, and every response is
// counted by its body's size on the wire (after brotli or gzip) and its kind. Used by
// scripts/bench; prints one JSON object per page.
//
// Usage: node first-visit.mjs BASE_URL COOKIE PATH...   (COOKIE: `name=value`, or - for none)
import { chromium } from 'playwright';

const [base, cookie, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
});

function kind(url, contentType) {
  const path = new URL(url).pathname;
  if (path.endsWith('.wasm')) {
    if (/\/(chunk_|split_)/.test(path)) return 'wasm-chunks';
    return 'wasm-main';
  }
  if (path.endsWith('.js')) return 'js';
  if (path.endsWith('.css')) return 'css';
  if ((contentType ?? '').startsWith('text/html')) return 'html';
  return 'other';
}

for (const path of paths) {
  const context = await browser.newContext();
  if (cookie !== '-') {
    const [name, ...value] = cookie.split('=');
    await context.addCookies([{ name, value: value.join('='), url: base }]);
  }
  const page = await context.newPage();
  const responses = [];
  page.on('requestfinished', (request) => responses.push(request));
  await page.goto(base + path);
  await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 30_000 });
  // Preloads the page announced but hydration did not wait for still count: give them a moment.
  await page.waitForLoadState('networkidle');
  const bytes = { html: 0, css: 0, js: 0, 'wasm-main': 0, 'wasm-chunks': 0, other: 0 };
  const files = [];
  for (const request of responses) {
    const response = await request.response();
    if (!response) continue;
    const sizes = await request.sizes();
    const type = kind(request.url(), response.headers()['content-type']);
    bytes[type] += sizes.responseBodySize;
    files.push({ url: new URL(request.url()).pathname, kind: type, sent: sizes.responseBodySize });
  }
  const total = Object.values(bytes).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ path, bytes, total, files }));
  await context.close();
}
await browser.close();
