// 工作报告: the district's annual report downloaded from the browser as Word and as a web page;
// the Word file is a real .docx (a zip holding word/document.xml) whose text carries the
// demo's figures, and the web page's figures link to their records.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { BASE_URL, assertSees, launch, newPage, signIn, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the district report downloads as a Word file holding the figures', async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin');
  await visit(page, '/reports');
  await assertSees(page, ['工作报告', '生成并下载'], 'main');
  await page.locator('#f-format').selectOption('docx');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('main form[action="/reports/download"] button[type=submit]').click(),
  ]);
  assert.match(download.suggestedFilename(), /\.docx$/);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a .docx is a zip file');
  assert.ok(bytes.includes(Buffer.from('word/document.xml')), 'with the document part');
  await page.context().close();
});

test('the web-page report links every figure to its records', async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin');
  const res = await page.request.get(`${BASE_URL}/reports/download?format=html&org=990101000000`);
  assert.equal(res.status(), 200);
  const html = await res.text();
  assert.ok(html.includes('/indicators/outreach.work_teams?'), 'a figure links to its drill-down');
  assert.ok(html.includes('兴和区'), 'the report names the district');
  await page.context().close();
});
