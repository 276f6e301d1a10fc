// The people registry: search by a name seen in the list, open the person, find them again by
// their whole ID number (which must stay out of the URL), and see the ID masked for 只读.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertSees, launch, newPage, signIn, visibleText, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const SEARCH_LABEL = '姓名、拼音、户编号、身份证号或电话';

/** The rows of the list as { name, href, cells }. */
async function listRows(page) {
  return page.locator('main table.data tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const cells = [...tr.querySelectorAll('td')].map((td) => td.innerText.replace(/\s+/g, ' ').trim());
    const a = tr.querySelector('td:first-child a');
    return { name: cells[0], href: a ? a.getAttribute('href') : null, cells };
  }));
}

/** Types into the search box and presses 查询. */
async function search(page, q) {
  await page.getByLabel(SEARCH_LABEL).fill(q);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '查询', exact: true }).click()]);
}

/** The value beside a <dt> label in the detail card. */
async function detail(page, label) {
  const dd = page.locator('main dl.kv').first().locator('dt', { hasText: label }).first().locator('xpath=following-sibling::dd[1]');
  return (await dd.innerText()).trim();
}

test('as admin: find a person by name, open them, find them again by their whole ID number', async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin');
  await visit(page, '/people');
  await assertSees(page, '人员', 'main h1');
  await assertSees(page, '共 90000 条', 'main .pagination');
  await assertSees(page, '首字母（如 zs）', 'main');

  // A person shown in the list: the first row's name and page.
  const [first] = await listRows(page);
  assert.ok(first && first.href, 'the list has rows, each name a link');
  const { name, href } = first;
  assert.match(first.cells[3], /^\d{4}\*{10}\d{3}[\dX]$/, `the list masks ID numbers: ${first.cells[3]}`);

  // Typing the name finds that person (among any namesakes), and only people with that name.
  await search(page, name);
  assert.equal(await page.getByLabel(SEARCH_LABEL).inputValue(), name, 'the search box keeps the name');
  const byName = await listRows(page);
  assert.ok(byName.length >= 1, `searching ${name} lists someone`);
  assert.ok(byName.every((r) => r.name.includes(name)), `every row is named like ${name}: ${byName.map((r) => r.name).join(',')}`);
  const total = Number((await visibleText(page, 'main .pagination')).match(/共 (\d+) 条/)[1]);
  assert.ok(total >= 1 && total < 90000, `the search narrows the list (共 ${total} 条)`);
  const hit = page.locator(`main table.data tbody tr td:first-child a[href="${href}"]`);
  assert.equal(await hit.count(), 1, `${name} (${href}) is found by name`);

  // Opening the person shows the ID number masked; the whole number takes a reason, which the
  // access log keeps.
  await Promise.all([page.waitForNavigation(), hit.click()]);
  assert.equal(new URL(page.url()).pathname, href);
  assert.equal((await visibleText(page, 'main h1')).split(' ')[0], name);
  assert.match(await detail(page, '身份证号'), /^\d{4}\*{10}\d{3}[\dX]$/, 'masked until a reason is given');
  await page.getByLabel('查看完整').selectOption({ label: '身份证号' });
  await page.getByLabel('查看原因').fill('核对户籍信息');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '查看', exact: true }).click()]);
  const idNumber = await detail(page, '身份证号');
  assert.match(idNumber, /^\d{17}[\dX]$/, `admin sees the whole ID number with a reason: ${idNumber}`);
  await assertSees(page, '已按您填写的原因记入个人信息查看记录', 'main');
  const crumbs = (await visibleText(page, 'main .breadcrumb')).split('/').map((s) => s.trim());
  assert.deepEqual(crumbs.slice(-2), ['人员', name]);

  // Typing the whole ID number finds exactly that person, by POST: the number is not in the URL.
  await visit(page, '/people');
  await search(page, idNumber);
  assert.ok(!page.url().includes(idNumber), `the ID number must not be in the URL: ${page.url()}`);
  assert.ok(!decodeURIComponent(page.url()).includes(idNumber), `nor encoded in it: ${page.url()}`);
  await assertSees(page, '共 1 条', 'main .pagination');
  const byId = await listRows(page);
  assert.equal(byId.length, 1);
  assert.equal(byId[0].name, name);
  assert.equal(byId[0].href, href, 'the ID search finds the person opened before');
  assert.equal(byId[0].cells[3], `${idNumber.slice(0, 4)}**********${idNumber.slice(14)}`, 'the list still masks the number');
  // No link on the page (page turns, export) carries the number either.
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const leaking = hrefs.filter((h) => h.includes(idNumber) || decodeURIComponent(h).includes(idNumber));
  assert.deepEqual(leaking, [], 'no link on the page carries the searched ID number');
  assert.equal(await page.getByRole('link', { name: '导出Excel' }).count(), 0,
    'no export link after an ID search (it would drop the number and export another list)');

  // The same person seen by the read-only account: the ID number is masked.
  const ro = await newPage(browser);
  await signIn(ro, 'chakan');
  await visit(ro, href);
  assert.equal((await visibleText(ro, 'main h1')).split(' ')[0], name);
  const masked = await detail(ro, '身份证号');
  assert.ok(masked.includes('**********'), `chakan (只读) sees the ID number masked: ${masked}`);
  assert.ok(!(await visibleText(ro, 'main')).includes(idNumber), 'the whole ID number is nowhere on chakan\'s page');
  assert.equal(masked, `${idNumber.slice(0, 4)}**********${idNumber.slice(14)}`);
  await ro.context().close();
  await page.context().close();
});
