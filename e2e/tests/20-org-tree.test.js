// The org tree: open a township, follow a village, see its grids and the breadcrumb.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertSees, launch, newPage, signIn, visibleText, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('open 青山镇 in the tree, click 王家庄村, see its four grids and the breadcrumb', async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin');
  await visit(page, '/org-units/tree');
  await assertSees(page, '区划树', 'main h1');
  await assertSees(page, ['兴和区', '青山镇'], 'main .tree');

  const village = page.locator('main .tree a', { hasText: '王家庄村' });
  assert.equal(await village.isVisible(), false, '王家庄村 is folded inside 青山镇 until it is opened');
  // Open 青山镇: click its summary beside the link (the link itself goes to the unit page).
  const township = page.locator('main .tree summary', { has: page.locator('a', { hasText: '青山镇' }) });
  await township.locator('.muted').click();
  assert.equal(await township.locator('xpath=..').getAttribute('open'), '', '青山镇 opened');
  await village.waitFor({ state: 'visible' });

  await Promise.all([page.waitForNavigation(), village.click()]);
  assert.equal(new URL(page.url()).pathname, '/org-units/990101001001');
  await assertSees(page, '王家庄村 行政村', 'main h1');
  const grids = await page.locator('main table.data tbody tr td:nth-child(2)').allInnerTexts();
  assert.deepEqual(grids.map((s) => s.trim()), ['第一网格', '第二网格', '第三网格', '第四网格']);
  await assertSees(page, '4 网格', 'main .stats');
  // The breadcrumb reads 首页 / 行政区划 / 兴和区 / 青山镇 / 王家庄村.
  const crumbs = (await visibleText(page, 'main .breadcrumb')).split('/').map((s) => s.trim());
  assert.deepEqual(crumbs.slice(-3), ['兴和区', '青山镇', '王家庄村'], `breadcrumb: ${crumbs.join(' / ')}`);
  assert.deepEqual(crumbs, ['首页', '行政区划', '兴和区', '青山镇', '王家庄村']);

  // The breadcrumb leads back up: 青山镇's page lists 王家庄村 among its villages.
  await Promise.all([page.waitForNavigation(), page.locator('main .breadcrumb a', { hasText: '青山镇' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/org-units/990101001000');
  await assertSees(page, '王家庄村', 'main table.data');
  await page.context().close();
});
