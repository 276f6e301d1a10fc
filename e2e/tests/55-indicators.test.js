// 指标总览: the district's figures, each a link to the list behind it, and a village user's
// overview holding only their own village.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertSees, launch, newPage, signIn, visibleText, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const SECRETARIES = '专业化管理村(社区)党组织书记数';
const COVERAGE = '"一村一名大学生村干部"覆盖率';

/** The figure tile whose label is `name`. */
function tile(page, name) {
  return page.locator('main .stat', { has: page.locator('.stat-label', { hasText: name }) });
}

/** A tile as the user reads it: { value, parts } e.g. { value: '97.14%', parts: '68 / 70' }. */
async function readTile(page, name) {
  const t = tile(page, name);
  assert.equal(await t.count(), 1, `the overview shows 「${name}」`);
  const value = (await t.locator('.stat-value a').innerText()).trim();
  const parts = await t.locator('.muted a').allInnerTexts();
  return { value, parts: parts.map((s) => s.trim()).join(' / ') };
}

async function totalOf(page) {
  const m = (await visibleText(page, 'main .pagination')).match(/共 (\d+) 条/);
  assert.ok(m, 'the list shows 共 N 条');
  return Number(m[1]);
}

async function openOverview(page) {
  // From the menu, as a user would.
  await Promise.all([page.waitForNavigation(), page.locator('nav.sidebar').getByRole('link', { name: '指标总览' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/indicators');
  await assertSees(page, '点击数字查看名单', 'main');
}

test('as admin: 指标总览 shows 30 secretaries and 97.14% coverage; each figure opens its list', async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin');
  await openOverview(page);
  await assertSees(page, '兴和区 · 指标总览', 'main h1');
  await assertSees(page, '二、抓队伍建设', 'main');

  const secretaries = await readTile(page, SECRETARIES);
  assert.equal(secretaries.value, '30');
  assert.equal((await tile(page, SECRETARIES).locator('.stat-value').innerText()).replace(/\s+/g, ' ').trim(), '30 人');
  const coverage = await readTile(page, COVERAGE);
  assert.equal(coverage.value, '97.14%');
  assert.equal(coverage.parts, '68 / 70', 'the coverage shows its numerator and denominator');

  // The figure 30 opens the list of those 30 secretaries.
  await Promise.all([page.waitForNavigation(), tile(page, SECRETARIES).locator('.stat-value a').click()]);
  assert.equal(new URL(page.url()).pathname, '/indicators/talent.professional_secretaries');
  await assertSees(page, SECRETARIES, 'main h1');
  await assertSees(page, '30 人', 'main dl.kv');
  assert.equal(await totalOf(page), 30);
  await assertSees(page, '共 30 条', 'main .pagination');
  const posts = await page.locator('main table.data tbody tr td:last-child').allInnerTexts();
  assert.equal(posts.length, 20, 'twenty on the first page');
  assert.ok(posts.every((p) => p.includes('党组织书记') && p.includes('专业化管理')),
    `every row is a 专业化管理 党组织书记: ${posts.slice(0, 3).join(' | ')}`);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '下一页' }).click()]);
  await assertSees(page, '共 30 条，2 / 2 页', 'main .pagination');
  assert.equal(await page.locator('main table.data tbody tr').count(), 10);

  // Back to the overview by the breadcrumb; the coverage figure opens the villages counted.
  await Promise.all([page.waitForNavigation(), page.locator('main .breadcrumb a', { hasText: '指标总览' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/indicators');
  await Promise.all([page.waitForNavigation(), tile(page, COVERAGE).locator('.stat-value a').click()]);
  assert.equal(new URL(page.url()).pathname, '/indicators/talent.college_cadre_coverage');
  await assertSees(page, COVERAGE, 'main h1');
  await assertSees(page, ['97.14%', '分子：有大学生村干部的行政村', '分母：行政村'], 'main dl.kv');
  await assertSees(page, '有大学生村干部的行政村 68 个', 'main');
  await assertSees(page, '共 68 条', 'main .pagination');
  assert.equal(await totalOf(page), 68, 'the numerator list holds the 68 villages with a college-educated cadre');
  const kinds = await page.locator('main table.data tbody tr td:nth-child(3)').allInnerTexts();
  assert.ok(kinds.length > 0 && kinds.every((k) => k.trim() === '行政村'), 'every row is a 行政村');

  // The 68 beside the figure on the overview is the same list; the 70 is every village.
  await page.goBack();
  await Promise.all([page.waitForNavigation(), tile(page, COVERAGE).locator('.muted a[title="分子"]').click()]);
  assert.match(page.url(), /list=numerator/);
  assert.equal(await totalOf(page), 68);
  await Promise.all([page.waitForNavigation(), page.locator('main dl.kv a', { hasText: '70' }).click()]);
  assert.match(page.url(), /list=denominator/);
  await assertSees(page, '共 70 条', 'main .pagination');
  await page.context().close();
});

test('as cungan: the overview holds only 王家庄村\'s figures', async () => {
  const page = await newPage(browser);
  await signIn(page, 'cungan');
  await openOverview(page);
  await assertSees(page, '王家庄村 · 指标总览', 'main h1');
  assert.ok(!(await visibleText(page, 'main h1')).includes('兴和区'));
  // The unit to count for offers only the user's village.
  const units = (await page.getByLabel('统计单位').locator('option').allInnerTexts())
    .map((s) => s.trim()).filter((s) => s !== '全部');
  assert.deepEqual(units, ['王家庄村']);

  const coverage = await readTile(page, COVERAGE);
  assert.equal(coverage.parts, '1 / 1', 'one village: the coverage counts 王家庄村 alone');
  assert.equal(coverage.value, '100.00%');
  const secretaries = await readTile(page, SECRETARIES);
  assert.equal(secretaries.value, '1', 'the village\'s own secretary');
  assert.ok(!(await visibleText(page, 'main')).includes('97.14%'), 'the district\'s coverage is not shown');

  // Its list: the village's own secretary, nobody from elsewhere.
  await Promise.all([page.waitForNavigation(), tile(page, SECRETARIES).locator('.stat-value a').click()]);
  await assertSees(page, '共 1 条', 'main .pagination');
  const posts = await page.locator('main table.data tbody tr td:last-child').allInnerTexts();
  assert.equal(posts.length, 1);
  assert.ok(posts[0].startsWith('王家庄村 党组织书记'), `王家庄村's secretary: ${posts[0]}`);

  // Asking for the district's figures is refused as not found.
  const res = await visit(page, '/indicators?org=990101000000', { okStatus: () => true });
  assert.equal(res.status(), 404);
  await assertSees(page, '未找到该记录', 'main');
  await page.context().close();
});
