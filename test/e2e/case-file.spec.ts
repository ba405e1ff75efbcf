// The case file inside an export ZIP, opened from disk in Chromium as whoever receives it would: Arabic
// reads right to left, each user text takes its own direction, the stylesheet passes the file's own
// Content-Security-Policy, nothing else is requested, and printing starts sections on new pages.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, type Page, test } from '@playwright/test';

function caseFile(locale: string): string {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/fixtures/case-file.ts', locale], { encoding: 'utf8' });
  return (JSON.parse(out.trim().split('\n').pop()!) as { file: string }).file;
}

async function open(page: Page, file: string) {
  const requests: string[] = [];
  const violations: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await page.goto(pathToFileURL(file).href);
  return { requests, violations };
}

test('an Arabic case file reads right to left, opened from disk, and loads nothing', async ({ page }) => {
  const file = caseFile('ar');
  try {
    const { requests, violations } = await open(page, file);
    expect(await page.evaluate(() => [document.documentElement.lang, getComputedStyle(document.body).direction])).toEqual(['ar', 'rtl']);
    const messages = await page.locator('.message-body[dir="auto"]').evaluateAll((els) => els.map((e) => [e.textContent, getComputedStyle(e).direction]));
    expect(messages).toEqual([
      ['طلب مني الموظف مبلغ ألفي درهم مقابل تسليم الرخصة.', 'rtl'],
      ['Merci, pouvez-vous préciser le guichet ?', 'ltr'],
      ['Vérifier le registre.', 'ltr'],
    ]);
    // The stylesheet applied: the file's own CSP let it through by its hash.
    expect(await page.locator('.confidential').evaluate((e) => getComputedStyle(e).borderTopStyle)).toBe('solid');
    expect(violations).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('section.new-page').first().evaluate((e) => getComputedStyle(e).breakBefore)).toBe('page');
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});

test('a French case file reads left to right, with Arabic user text right to left', async ({ page }) => {
  const file = caseFile('fr');
  try {
    await open(page, file);
    expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe('ltr');
    expect(await page.locator('.message-reporter .message-body').evaluate((e) => getComputedStyle(e).direction)).toBe('rtl');
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});
