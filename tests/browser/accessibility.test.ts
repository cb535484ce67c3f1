// Accessibility kept, by an audit: axe-core (the rules of WCAG 2.x A and AA, and axe's best
// practices) run in Chromium on every page a student or teacher sees, in the states that
// change what is on it: the home page; the lab page in the light and the dark theme (the
// colours differ, so contrast is checked in both), with the editor open, with the lesson pane
// open; and the teacher's page with a lab whose device makes its card render. Any finding
// fails its test with the rule, its impact, what it asks and the elements it names.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { TEST_TEACHER_TOKEN } from '../support/lab-server.ts';
import { browserLabTest } from '../support/browser-test.ts';

/** axe-core's browser bundle, put into each page as a script (it defines window.axe). */
const AXE_SCRIPT_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** Wide enough for the consoles, the editor and the lesson pane side by side. */
const VIEWPORT = { width: 1400, height: 900 };

type Theme = 'light' | 'dark';

/** One rule's finding, as the failure message prints it. */
interface Finding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

const test = browserLabTest({ context: { viewport: VIEWPORT } });

/** Runs axe-core on the page as it is now; its violations, one per rule. */
async function audit(page: Page): Promise<Finding[]> {
  await page.addScriptTag({ path: AXE_SCRIPT_PATH });
  return page.evaluate(async () => {
    type AxeNode = { target: unknown[] };
    type AxeViolation = { id: string; impact?: string | null; help: string; nodes: AxeNode[] };
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    const { violations } = await axe.run();
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((node) => node.target.map(String).join(' >>> ')),
    }));
  });
}

function describeFindings(where: string, findings: Finding[]): string {
  const lines = findings.map(
    (f) => `- ${f.id} (${f.impact ?? 'no impact given'}): ${f.help}\n${f.targets.map((t) => `    ${t}`).join('\n')}`,
  );
  return `${where}: ${findings.length} accessibility violation(s)\n${lines.join('\n')}`;
}

async function assertAccessible(page: Page, where: string): Promise<void> {
  const findings = await audit(page);
  assert.deepEqual(
    findings.map((f) => f.id),
    [],
    describeFindings(where, findings),
  );
}

/** The test's new lab (console 0 at its prompt) in the chosen theme (set with the page's own
 * theme switch), with neither the editor nor the lesson pane open. */
async function setUpLab(page: Page, theme: Theme): Promise<void> {
  await page.getByLabel('Colour theme').selectOption(theme);
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
  await setPane(page, 'Lesson', false);
  await setPane(page, 'Editor', false);
}

/** Opens or closes a pane with its header button (the lesson starts open on a wide screen). */
async function setPane(page: Page, name: 'Lesson' | 'Editor', open: boolean): Promise<void> {
  const toggle = page.getByRole('button', { name, exact: true });
  if ((await toggle.getAttribute('aria-pressed')) !== String(open)) await toggle.click();
  await page.waitForFunction(([n, o]) => document.querySelector(`header .toggle-${n}`)?.getAttribute('aria-pressed') === String(o), [
    name.toLowerCase(),
    open,
  ] as const);
  if (!open) return;
  if (name === 'Editor') {
    await page.waitForFunction(() => window.socketLab!.editor!.isOpen());
    await page.locator('.cm-editor').waitFor();
  } else {
    await page.getByRole('complementary', { name: 'Lesson' }).waitFor();
    await page.locator('.lesson-section:not([hidden]) h2').waitFor();
  }
}

test('the home page has no accessibility violations', { timeout: 60_000 }, async ({ server, page }) => {
  await page.goto(`${server.baseUrl}/`);
  await page.getByRole('button', { name: 'Create a lab' }).waitFor();
  await assertAccessible(page, 'home page');
});

for (const theme of ['light', 'dark'] as const) {
  test(`the lab page in the ${theme} theme has no accessibility violations`, { timeout: 60_000 }, async ({ lab }) => {
    const { page } = lab;
    await setUpLab(page, theme);
    await assertAccessible(page, `lab page (${theme})`);
  });

  test(`the lab page with the editor open, ${theme} theme, has no accessibility violations`, { timeout: 60_000 }, async ({ lab }) => {
    const { page } = lab;
    await setUpLab(page, theme);
    await setPane(page, 'Editor', true);
    await assertAccessible(page, `lab page with the editor open (${theme})`);
  });

  test(`the lab page with the lesson pane open, ${theme} theme, has no accessibility violations`, { timeout: 60_000 }, async ({ lab }) => {
    const { page } = lab;
    await setUpLab(page, theme);
    await setPane(page, 'Lesson', true);
    await assertAccessible(page, `lab page with the lesson pane open (${theme})`);
  });
}

test("the teacher's page, with a lab and its device, has no accessibility violations", { timeout: 60_000 }, async ({ server, page }) => {
  const code = await server.createLab();
  const device = await server.openConsole(code, `a11y-device-${code}`);
  await page.goto(`${server.baseUrl}/teacher?token=${TEST_TEACHER_TOKEN}`);
  await page.locator(`.lab-card[data-code="${code}"] tr[data-address="${device.welcome.device.address}"]`).waitFor();
  await page.locator('.class-qr svg').waitFor();
  await assertAccessible(page, "teacher's page");
});

test("the administrator's Classes panel, a teacher's link shown, and a class's join page have no accessibility violations", { timeout: 60_000 }, async ({ server, page }) => {
  const made = server.classes.create('Accessible class');
  await page.goto(`${server.baseUrl}/teacher?token=${TEST_TEACHER_TOKEN}`);
  const row = page.getByRole('region', { name: 'Classes' }).getByRole('row', { name: /Accessible class/ });
  await row.getByText("Show the teacher's link").click();
  await row.getByLabel("Teacher's link of Accessible class").waitFor();
  await page.locator('.class-qr svg').waitFor();
  await assertAccessible(page, "administrator's teacher's page with the Classes panel");
  await page.goto(`${server.baseUrl}/class/${made.slug}`);
  await page.getByText('Class: Accessible class').waitFor();
  await assertAccessible(page, "a class's join page");
});
