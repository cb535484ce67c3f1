// The home page creates a lab or joins one by its code; the lab page shows its join URL, a QR
// code of it, and "Add a device" (this lab again, as another computer).

import assert from 'node:assert/strict';
import type { TestLabServer } from '../support/lab-server.ts';
import { browserLabTest } from '../support/browser-test.ts';
import { consoleReady } from '../support/browser.ts';

const LAB_URL = /\/lab\/[A-Z0-9]{6}$/;

const test = browserLabTest();

async function createdLab(server: TestLabServer): Promise<string> {
  const response = await fetch(`${server.baseUrl}/api/labs`, { method: 'POST' });
  return ((await response.json()) as { code: string }).code;
}

test('"Create a lab" makes a lab and goes to it; / alone makes none', { timeout: 30_000 }, async ({ server, page }) => {
  await page.goto(server.baseUrl + '/');
  await page.getByRole('button', { name: 'Create a lab' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/', 'the home page waits for a choice');
  // Keyboard only: Tab to the button (the first thing on the page), Enter.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Create a lab');
  await page.keyboard.press('Enter');
  await page.waitForURL(LAB_URL);
  await consoleReady(page, 0);
  const code = page.url().split('/').pop()!;
  assert.equal(await page.locator('.lab-code').textContent(), code);
});

test('joining by typing a code, in lower case, with Enter', { timeout: 30_000 }, async ({ server, page }) => {
  const code = await createdLab(server);
  await page.goto(server.baseUrl + '/');
  await page.getByLabel('Lab code').fill(code.toLowerCase());
  await page.getByLabel('Lab code').press('Enter');
  await page.waitForURL(`${server.baseUrl}/lab/${code}`);
  await consoleReady(page, 0);
});

test('a wrong code says so plainly and keeps what was typed', { timeout: 30_000 }, async ({ server, page }) => {
  await page.goto(server.baseUrl + '/');
  let wrong = 'ZZZZZZ';
  while ((await fetch(`${server.baseUrl}/api/labs/${wrong}`)).status !== 404) wrong = wrong.slice(1) + 'Y';
  await page.getByLabel('Lab code').fill(wrong.toLowerCase());
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByText(`There is no lab with the code ${wrong}. Check the code with your partner or teacher.`).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.getByLabel('Lab code').inputValue(), wrong.toLowerCase());
  // Not a code at all: said before asking the server.
  await page.getByLabel('Lab code').fill('AB');
  await page.getByLabel('Lab code').press('Enter');
  await page.getByText('"AB" is not a lab code').waitFor();
});

test('/join?code= fills the code in, with the Join button focused', { timeout: 30_000 }, async ({ server, page }) => {
  const code = await createdLab(server);
  await page.goto(`${server.baseUrl}/join?code=${code.toLowerCase()}`);
  await page.getByRole('button', { name: 'Join' }).waitFor();
  assert.equal(await page.getByLabel('Lab code').inputValue(), code);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Join');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.baseUrl}/lab/${code}`);
  await consoleReady(page, 0);
});

test('the lab page shows its join URL and a large QR code of it; Escape closes it', { timeout: 30_000 }, async ({ server, page }) => {
  const code = await createdLab(server);
  await page.goto(`${server.baseUrl}/lab/${code}`);
  await consoleReady(page, 0);
  const joinUrl = `${server.baseUrl}/join?code=${code}`;
  assert.equal(await page.locator('.lab-link').textContent(), joinUrl);
  assert.equal(await page.locator('.lab-link').getAttribute('href'), joinUrl);

  await page.getByRole('button', { name: 'Show QR code' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const image = dialog.locator('svg, canvas, img');
  const box = (await image.boundingBox())!;
  assert.ok(box.width >= 300 && Math.abs(box.width - box.height) < 2, `QR code ${box.width}x${box.height}`);
  assert.equal(await dialog.locator('.qr-url').textContent(), joinUrl);
  assert.equal(await image.getAttribute('aria-label'), `QR code of ${joinUrl}`);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
});

test('"Add a device" opens the lab as another device; reloading keeps it that device', { timeout: 45_000 }, async ({ server, context, page }) => {
  const code = await createdLab(server);
  const first = await context.newPage();
  await first.goto(`${server.baseUrl}/lab/${code}`);
  await consoleReady(first, 0);
  const firstAddress = await first.evaluate(() => window.socketLab!.address);
  assert.equal(await first.getByText('opens this lab as another computer').count(), 1);

  const [added] = await Promise.all([context.waitForEvent('page'), first.getByRole('link', { name: 'Add a device' }).click()]);
  await added!.waitForURL(`${server.baseUrl}/lab/${code}`);
  await consoleReady(added!, 0);
  const addedAddress = await added!.evaluate(() => window.socketLab!.address);
  assert.notEqual(addedAddress, firstAddress, 'a new device has its own lab address');

  await added!.reload();
  await consoleReady(added!, 0);
  assert.equal(await added!.evaluate(() => window.socketLab!.address), addedAddress, 'the tab stays the added device');

  // An ordinary new tab of this browser is still the first device.
  const third = await context.newPage();
  await third.goto(`${server.baseUrl}/lab/${code}`);
  await consoleReady(third, 0);
  assert.equal(await third.evaluate(() => window.socketLab!.address), firstAddress);
});

test("the lab page's Join goes to /join?code=, where the home page checks the code", { timeout: 30_000 }, async ({ server, page }) => {
  const here = await createdLab(server);
  const other = await createdLab(server);
  await page.goto(`${server.baseUrl}/lab/${here}`);
  await consoleReady(page, 0);
  await page.getByLabel('Lab code to join').fill(` ${other.toLowerCase()} `);
  await page.getByLabel('Lab code to join').press('Enter');
  await page.waitForURL(`${server.baseUrl}/join?code=${other.toLowerCase()}`);
  assert.equal(await page.getByLabel('Lab code').inputValue(), other);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.baseUrl}/lab/${other}`);
  await consoleReady(page, 0);

  // A wrong code is said plainly on the home page, not shown as an empty lab.
  let wrong = 'ZZZZZZ';
  while ((await fetch(`${server.baseUrl}/api/labs/${wrong}`)).status !== 404) wrong = wrong.slice(1) + 'Y';
  await page.getByLabel('Lab code to join').fill(wrong);
  await page.getByLabel('Lab code to join').press('Enter');
  await page.waitForURL(`${server.baseUrl}/join?code=${wrong}`);
  assert.equal(await page.getByLabel('Lab code').inputValue(), wrong);
  await page.keyboard.press('Enter');
  await page.getByText(`There is no lab with the code ${wrong}. Check the code with your partner or teacher.`).waitFor();
});
