import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);
// localhost, not 127.0.0.1: passkeys need a host name (browsers refuse an IP address as the
// WebAuthn relying party), and the server's VESTIBULE_PUBLIC_URL says the same (start-server.sh).
export const baseURL = `http://localhost:${port}`;

// Debian's Chromium: Playwright's own browser download does not work offline. These flags keep
// it from reaching for the network, which this machine refuses.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // Guards against a hung test, not speed checks (speed has its benchmarks): CI machines have
  // been measured at half this machine's speed, where a long flow took 25 of the 30 s.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: { baseURL, launchOptions, trace: 'off' },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: './start-server.sh',
    // Node may try ::1 first for localhost, where the server does not listen.
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
