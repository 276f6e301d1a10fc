// 附件: a village secretary opens a practical project's attachments, uploads a photo from the
// browser, sees its thumbnail and name, finds it in 基础台账 › 附件, and deletes it again; a
// page pretending to be a photo is refused with the reason, on a phone too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BASE_URL, PHONE, assertNoHorizontalScroll, assertSees, launch, newPage, signIn, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The number of a practical project the account can see (the first row of the list). */
async function firstProject(page) {
  await visit(page, '/branches/projects');
  const cell = page.locator('main table tbody tr').first().locator('td').first();
  const no = (await cell.innerText()).trim();
  assert.ok(no, 'the demo has practical projects in this village');
  return no;
}

test('a photo is uploaded to a practical project, shown, listed and deleted', async () => {
  const page = await newPage(browser);
  await signIn(page, 'cungan');
  const no = await firstProject(page);
  await visit(page, `/attachments?kind=project&key=${encodeURIComponent(no)}`);
  await assertSees(page, ['附件', '上传附件'], 'main');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xc-')), '现场照片.png');
  fs.writeFileSync(file, PNG);
  await page.locator('#fld-file').setInputFiles(file);
  await Promise.all([
    page.waitForNavigation(),
    page.locator('main form[enctype="multipart/form-data"] button[type=submit]').click(),
  ]);
  await assertSees(page, '现场照片.png', '[data-testid=attachments]');
  const img = page.locator('[data-testid=attachments] img').first();
  assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth === 1), 'the thumbnail loads');
  const src = await img.getAttribute('src');
  const res = await page.request.get(`${BASE_URL}${src}`);
  assert.equal(res.headers()['content-type'], 'image/png');
  assert.equal(res.headers()['x-content-type-options'], 'nosniff');

  await visit(page, '/attachments');
  await assertSees(page, ['现场照片.png', no], 'main table');

  await visit(page, `/attachments?kind=project&key=${encodeURIComponent(no)}`);
  page.once('dialog', (d) => d.accept());
  await Promise.all([
    page.waitForNavigation(),
    page.locator('[data-testid=attachments] form button').first().click(),
  ]);
  await assertSees(page, '还没有附件', 'main');
  await page.context().close();
});

test('on a phone a web page posing as a photo is refused with the reason', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, 'cungan');
  const no = await firstProject(page);
  await visit(page, `/attachments?kind=project&key=${encodeURIComponent(no)}`);
  await assertNoHorizontalScroll(page, 'the attachments page');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xc-')), 'photo.jpg');
  fs.writeFileSync(file, '<html><script>alert(1)</script></html>');
  await page.locator('#fld-file').setInputFiles(file);
  await Promise.all([
    page.waitForNavigation(),
    page.locator('main form[enctype="multipart/form-data"] button[type=submit]').click(),
  ]);
  await assertSees(page, '「photo.jpg」不是可接受的文件', 'main');
  await page.context().close();
});
