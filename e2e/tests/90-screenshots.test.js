// Screenshots of every main page at 1366×768 and 375×812 into SCREENSHOT_DIR; the dashboard on
// a desktop and the org tree on a phone are copied to docs/screenshots/ for the README.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DESKTOP, MAIN_PAGES, PHONE, assertSees, launch, newPage, pngSize, publishScreenshot,
  screenshots, signIn, visit,
} from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function checkSizes(shots) {
  assert.deepEqual(pngSize(shots.desktop), DESKTOP);
  assert.deepEqual(pngSize(shots.phone), PHONE);
}

test('screenshots of the login page', async () => {
  const page = await newPage(browser);
  await visit(page, '/login');
  await assertSees(page, '用户登录');
  checkSizes(await screenshots(page, 'login'));
  await page.context().close();
});

test('screenshots of every main page, signed in as admin (or the administrator it belongs to)', async () => {
  const signedIn = new Map();
  for (const p of MAIN_PAGES) {
    const who = p.as || 'admin';
    if (!signedIn.has(who)) {
      const pg = await newPage(browser);
      await signIn(pg, who);
      signedIn.set(who, pg);
    }
    const page = signedIn.get(who);
    await visit(page, p.path);
    await assertSees(page, p.sees, 'main');
    // On the tree, open 青山镇 so its villages show.
    const prepare = p.name === 'org-tree'
      ? (pg) => pg.locator('main .tree summary', { has: pg.locator('a', { hasText: '青山镇' }) }).locator('.muted').click()
      : undefined;
    const shots = await screenshots(page, p.name, { prepare });
    checkSizes(shots);
    if (p.name === 'dashboard') publishScreenshot(shots.desktop, 'dashboard-desktop.png');
    if (p.name === 'org-tree') publishScreenshot(shots.phone, 'org-tree-phone.png');
  }
  for (const pg of signedIn.values()) await pg.context().close();
});
