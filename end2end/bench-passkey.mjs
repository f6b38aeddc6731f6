// The browser half of scripts/bench-passkey: see there. Prints one line per figure.
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';

const [base, roundsText, outbox] = process.argv.slice(2);
const rounds = Number(roundsText);
const password = 'a long benchmark passphrase';
const username = `bench-${Date.now().toString(36)}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const context = await browser.newContext({ baseURL: base });
const page = await context.newPage();
const hydrated = () => page.waitForSelector('body[data-hydrated="true"]');
const cdp = await context.newCDPSession(page);
await cdp.send('WebAuthn.enable');
await cdp.send('WebAuthn.addVirtualAuthenticator', {
  options: {
    protocol: 'ctap2',
    transport: 'internal',
    hasResidentKey: true,
    hasUserVerification: true,
    isUserVerified: true,
    automaticPresenceSimulation: true,
  },
});

// Sign up through the forms and the mailed link, then add the passkey.
await page.goto('/signup');
await hydrated();
await page.getByLabel('Username').fill(username);
await page.getByLabel('E-mail address').fill(`${username}@example.com`);
await page.getByLabel('Password').fill(password);
await page.getByRole('button', { name: 'Create account' }).click();
await page.waitForURL(/sent=1/);
const link = execFileSync('python3', ['scripts/mail_link.py', outbox, `${username}@example.com`, '/signup/confirm'])
  .toString()
  .trim();
await page.goto(link);
await page.getByLabel('The password you chose').fill(password);
await page.getByRole('button', { name: 'Create my account' }).click();
await page.waitForURL(/\/account$/);
await page.goto('/account/authorization');
await hydrated();
await page.locator('#passkeys').getByLabel('Name').fill('Bench');
await page.locator('#passkeys').getByRole('button', { name: 'Add a passkey' }).click();
await page.locator('#passkeys [data-testid="passkey"]').waitFor();

const endToEnd = [];
const server = [];
for (let round = 0; round < rounds; round++) {
  await context.clearCookies();
  await page.goto('/login');
  await hydrated();
  const calls = [];
  const onFinished = (request) => {
    if (request.url().includes('/login/passkey/')) calls.push(request.timing().responseEnd);
  };
  page.on('requestfinished', onFinished);
  const started = performance.now();
  await page.getByTestId('passkey-sign-in').click();
  await page.waitForURL(/\/account$/);
  await hydrated();
  endToEnd.push(performance.now() - started);
  page.off('requestfinished', onFinished);
  server.push(calls.reduce((sum, ms) => sum + ms, 0));
}
await browser.close();

const stats = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms`;
};
console.log(`passkey sign-ins: ${rounds}`);
console.log(`click to account page hydrated: ${stats(endToEnd)}`);
console.log(`the two server calls (begin + finish), request to response end: ${stats(server)}`);
