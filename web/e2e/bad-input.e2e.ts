// A booking form with bad input shows the error beside the field the API names, and nothing is
// stored; unknown pages and tenants say so. The server's CSP stays in force throughout.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseUrl, expectAccessible, firstOccurrence, launch, open, seatsLeft } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('a bad email is shown at its field and takes no seat', async () => {
  const { page, problems } = await open(browser);
  const response = await page.goto(`${baseUrl}/t/demo`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(response?.headers()['content-security-policy']).not.toContain('unsafe-inline');
  await page.getByRole('link', { name: /デモ演奏会/ }).click();
  const firstTime = page.locator('.times button').first();
  await firstTime.waitFor();
  await firstTime.click();
  const occurrence = await firstOccurrence();
  const before = await seatsLeft(occurrence);

  await page.getByLabel(/一般/).fill('1');
  await page.getByLabel(/^お名前/).fill('入力 間違い');
  await page.getByLabel(/^メールアドレス/).fill('not-an-email');
  await page.getByRole('button', { name: '予約を確定する' }).click();

  const email = page.getByLabel(/^メールアドレス/);
  await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
  const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
  expect(await page.locator(`#${describedBy}`).textContent()).toMatch(/email|メール/i);
  expect(await page.getByRole('alert').textContent()).toBe('入力内容を確認してください。');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
  expect(page.url()).toMatch(/\/o\/\d+$/);
  await expectAccessible(page, 'the form showing an error');
  expect(await seatsLeft(occurrence)).toBe(before);

  // Mended, the same form books.
  await email.fill('fixed@example.jp');
  await page.getByRole('button', { name: '予約を確定する' }).click();
  await page.waitForURL(/\/done\/[0-9A-Z]{10}$/);
  expect(await seatsLeft(occurrence)).toBe(before - 1);
  expect(problems).toEqual([]);
});

test('unknown tenants and pages say so', async () => {
  const { page, problems } = await open(browser);
  await page.goto(`${baseUrl}/t/no-such-venue`);
  await expect.poll(() => page.getByRole('alert').textContent()).toBe('ページが見つかりません。');
  await expectAccessible(page, 'the unknown tenant page');
  await page.goto(`${baseUrl}/t/demo/nothing-here`);
  await expect.poll(() => page.getByRole('alert').textContent()).toBe('ページが見つかりません。');
  expect(problems).toEqual([]);
});
