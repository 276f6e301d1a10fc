// 我的联系户 on a phone (375×812): the demo party member dangyuan opens their linked households,
// taps one, and logs a visit (date defaulting to today, a short note) in well under 30 seconds;
// the household then shows today's date as its last visit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PHONE, assertNoHorizontalScroll, assertSees, launch, newPage, screenshots, signIn, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Today in Asia/Shanghai, as the server counts days: YYYY-MM-DD. */
function today() {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

test('on a phone a party member opens 我的联系户 and logs a visit in under 30 seconds', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, 'dangyuan');
  // From the ☰ menu to the list.
  await page.locator('header').getByText('☰').click();
  await Promise.all([
    page.waitForNavigation(),
    page.locator('nav.sidebar').getByRole('link', { name: '我的联系户' }).click(),
  ]);
  assert.equal(new URL(page.url()).pathname, '/my/households');
  await assertSees(page, '我的联系户', 'main h1');
  const households = page.locator('ul.tap-list a.tap');
  assert.ok((await households.count()) > 0, 'dangyuan has linked households in the demo');
  await assertNoHorizontalScroll(page, '我的联系户');
  await screenshots(page, 'my-households');

  const started = Date.now();
  const first = households.first();
  const householdNo = (await first.locator('.tap-sub').first().innerText()).split(' · ')[0].trim();
  await Promise.all([page.waitForNavigation(), first.click()]);
  assert.match(new URL(page.url()).pathname, /^\/my\/households\/\d+$/);
  assert.equal(await page.getByLabel('走访日期').inputValue(), today(), 'the date defaults to today');
  await assertNoHorizontalScroll(page, 'the visit form');
  await page.getByLabel('情况记录（选填）').fill('入户了解春耕准备');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '提交' }).click()]);
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 30_000, `logging a visit took ${elapsed} ms`);

  assert.equal(new URL(page.url()).pathname, '/my/households');
  await assertSees(page, '已记录走访');
  const row = page.locator('ul.tap-list a.tap', { hasText: householdNo });
  assert.equal(await row.locator('.last-visit').innerText(), today(), 'the visit is the last one now');
  await page.context().close();
});

test('the visit shows in the village user\'s 走访记录 list', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, 'cungan');
  await visit(page, '/outreach/visits?q=' + encodeURIComponent('入户了解春耕准备'));
  await assertSees(page, ['走访记录', today()], 'main');
  await page.context().close();
});
