// Drives the console in headless Chromium (Debian's /usr/bin/chromium through playwright-core)
// against a real server. Every page fails its test on a console error, an uncaught exception
// or a request that leaves the server's origin (the console must work offline).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot, startTestServer } from '../host/helpers.mjs';

/** Where screenshots of the main screens go (a CI artifact; ignored by git). */
export const SCREENSHOT_DIR = path.join(repoRoot, 'build/test-artifacts/screenshots');
const CHROMIUM = process.env.LEADLINE_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/**
 * Starts a server (with its own database) and a browser on the console.
 * Returns {server, page, baseUrl, problems, screenshot(name), signIn(key?), close()}.
 */
export async function openConsole({ serverOptions } = {}) {
  const server = await startTestServer(serverOptions);
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  } catch (failure) {
    await server.close(); // a server left listening would keep the test process alive
    throw new Error(`cannot start Chromium at ${CHROMIUM} (scripts/setup.sh installs Debian's chromium): ${failure.message}`);
  }
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 900 } });
  const origin = new URL(server.baseUrl).origin;
  const problems = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    problems.push(`request outside the server: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs every 4xx reply as an error; an API refusal is a reply the console shows
    // the user (the tests check it is shown). Missing assets, 5xx and script errors still fail.
    const refusal = /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text());
    if (refusal && new URL(message.location().url).pathname.startsWith('/api/v1/')) return;
    problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`server error ${response.status()}: ${response.url()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.goto(`${server.baseUrl}/`);

  return {
    server,
    page,
    baseUrl: server.baseUrl,
    problems,
    /** Saves a full-page screenshot as build/test-artifacts/screenshots/<name>.png. */
    async screenshot(name) {
      // A value the page failed to format shows as text; no main screen may show one.
      const shown = await page.locator('body').innerText();
      assert.doesNotMatch(shown, /\bnull\b|\bundefined\b|\bNaN\b|\[object Object\]/, `${name} shows an unformatted value`);
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    /** Signs in through the form with `key` (the workspace key by default). */
    async signIn(key = server.workspaceKey) {
      await page.getByLabel('API key').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#console-view').waitFor({ state: 'visible' });
      await page.getByText('Validation core ready').waitFor();
    },
    /** Closes everything and fails if the page logged an error or left the origin. */
    async close() {
      await browser.close();
      await server.close();
      assert.deepEqual(problems, [], 'the console logged errors or reached outside the server');
    },
  };
}
