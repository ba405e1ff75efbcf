// The portal promises that it calls no other site: every request a page makes stays on its origin,
// and its pages raise no console error or Content Security Policy violation.
import { expect, test } from '@playwright/test';

for (const path of ['/fr/', '/ar/']) {
  test(`${path} logs no console error and no CSP violation`, async ({ page }) => {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.text().includes('Content Security Policy')) problems.push(`${m.type()}: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    await page.goto(path, { waitUntil: 'networkidle' });
    // The favicon request and late reports are not tracked by networkidle: give them a moment.
    await page.waitForTimeout(1000);
    expect(problems).toEqual([]);
  });
}

test('no page makes a request to another origin', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  for (const path of ['/fr/', '/ar/', '/zgh/', '/en/orientation', '/fr/feedback?page=/fr/', '/fr/does-not-exist']) {
    await page.goto(path, { waitUntil: 'networkidle' });
  }
  await page.goto('/api/docs', { waitUntil: 'networkidle' });
  await expect(page.locator('.swagger-ui .info .title')).toContainText('Nazaha API');
  expect(requests).toContain(`${origin}/api/docs/json`);
  const foreign = requests.filter((url) => new URL(url).origin !== origin);
  expect(foreign, `requests to other origins:\n${foreign.join('\n')}`).toEqual([]);
});
