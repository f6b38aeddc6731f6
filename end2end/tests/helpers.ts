import { expect, Page, TestInfo } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PASSWORD = 'a long and unusual passphrase';

/** A username no other test (or project) uses. */
export function uniqueName(prefix: string, info: TestInfo): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `${prefix}-${info.project.name}-${random}`.slice(0, 30);
}

export function isHydrated(info: TestInfo): boolean {
  return info.project.name === 'hydrated';
}

/** Once hydrated, interactions go through the WASM app: wait for it before acting. */
export async function ready(page: Page, info: TestInfo) {
  if (isHydrated(info)) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  }
}

export async function goto(page: Page, info: TestInfo, path: string) {
  await page.goto(path);
  await ready(page, info);
}

export async function signUp(page: Page, info: TestInfo, username: string) {
  await goto(page, info, '/signup');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('E-mail address').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill(PASSWORD);
  // Once an operator has published required documents, sign-up asks to accept them. Other
  // tests publish documents meanwhile; then the form asks again, as it would a person.
  for (let attempt = 0; attempt < 3; attempt++) {
    const accept = page.locator('#field-accept');
    if (await accept.count()) await accept.check();
    if (attempt > 0) await page.getByLabel('Password').fill(PASSWORD);
    const posted = page.waitForResponse((r) => r.url().endsWith('/signup') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Create account' }).click();
    if ((await posted).status() !== 422) break;
    await page.waitForLoadState('load');
    await ready(page, info);
  }
  // The account is created when the link mailed to the address is followed.
  await expect(page).toHaveURL(/\/signup\?sent=1$/);
  await expect(page.getByRole('status')).toContainText('We sent a link to the address you gave.');
  await goto(page, info, await mailLink(`${username}@example.com`, '/signup/confirm'));
  // The link asks again for the password chosen on the form (so nobody can sign up with
  // someone else's address and keep the account once its owner clicks).
  await page.getByLabel('The password you chose').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await ready(page, info);
}

/** Fills in and submits the sign-in form on the current page. */
export async function signIn(page: Page, login: string, password: string) {
  await page.getByLabel('Username or e-mail').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Opens the account menu (the round initials button). */
export async function openMenu(page: Page) {
  await page.locator('summary.avatar').click();
}

export async function signOut(page: Page, info: TestInfo) {
  await openMenu(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?notice=signed-out$/);
  await ready(page, info);
}

/** Marks the current document, so a test can prove later that it was never reloaded. */
export async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
}

/** With JavaScript: fails if the document was reloaded since `markDocument`. */
export async function expectSameDocument(page: Page, info: TestInfo) {
  if (!isHydrated(info)) return;
  const same = await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
  expect(same, 'the page was reloaded').toBe(true);
}

/** Publishes a legal document with the operator command, against the test server's database. */
export function publishDocument(kind: string, version: string, required: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'vestibule-doc-'));
  writeFileSync(join(dir, 'en.md'), `# ${kind} ${version}\n\nThe English text of version ${version}.\n`);
  writeFileSync(join(dir, 'fr.md'), `# ${kind} ${version}\n\nLe texte français de la version ${version}.\n`);
  const args = ['documents', 'publish', '--kind', kind, '--version', version, '--en', join(dir, 'en.md'), '--fr', join(dir, 'fr.md')];
  if (required) args.push('--required');
  execFileSync('../target/release/vestibule', args, {
    env: { ...process.env, DATABASE_URL: 'sqlite://.run/e2e.db', VESTIBULE_DATA_DIR: '.run', VESTIBULE_LOG: 'warn' },
  });
}

// The browser-test server has no SMTP relay: its mail lands in the outbox folder.
const OUTBOX = join(__dirname, '..', '.run', 'outbox');

/** Undoes quoted-printable, the transfer encoding the mail library picks for long lines. */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * The newest link to `path` (with its token) mailed to `email`, waiting for the mail worker.
 * Mail leaves through a queue, after the page has answered: when a link was sent again (which
 * voids the earlier one), pass `count`, the number of such mails to wait for, or the earlier,
 * dead link may be the newest one on disk yet.
 */
export async function mailLink(email: string, path: string, count = 1): Promise<string> {
  const pattern = new RegExp(`(${path.replace(/[/.]/g, '\\$&')}\\?token=[\\w-]+)`);
  let link = '';
  await expect
    .poll(() => {
      if (!existsSync(OUTBOX)) return '';
      const mine = readdirSync(OUTBOX)
        .sort()
        .map((f) => decodeQuotedPrintable(readFileSync(join(OUTBOX, f), 'utf8')))
        .filter((m) => m.includes(`To: ${email}`) && pattern.test(m));
      const match = mine.length >= count ? mine.at(-1)?.match(pattern) : undefined;
      link = match ? match[1] : '';
      return link;
    })
    .not.toBe('');
  return link;
}

/**
 * With JavaScript: after an in-place action, focus is on what changed (never on `<body>`).
 * Without JavaScript the page is new after each post, and the browser starts at its top.
 */
export async function expectFocused(page: Page, info: TestInfo, selector: string) {
  if (!isHydrated(info)) return;
  await expect(page.locator(selector)).toBeFocused();
}

/** A fresh key pair from ssh-keygen: the .pub file's path, its text and its fingerprint. */
export function keygen(comment: string): { path: string; content: string; fingerprint: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vestibule-key-'));
  const path = join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  const listed = execFileSync('ssh-keygen', ['-lf', `${path}.pub`]).toString();
  return { path: `${path}.pub`, content: readFileSync(`${path}.pub`, 'utf8'), fingerprint: listed.split(' ')[1] };
}
