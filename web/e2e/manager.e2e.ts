// The demo manager signs in (setting up the authenticator the first time, then with a code),
// finds a guest's booking in the calendar and cancels it; the seats come back.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseUrl, expectAccessible, firstOccurrence, launch, open, seatsLeft, totp } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('the manager signs in with TOTP, finds the booking in the calendar and cancels it', async () => {
  const occurrence = await firstOccurrence();
  const booked = await fetch(`${baseUrl}/api/v1/public/demo/bookings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-manager-${Date.now()}` },
    body: JSON.stringify({
      occurrence_id: occurrence,
      tickets: { adult: 2 },
      customer: { name: '管理 太郎', email: 'taro@example.jp' },
    }),
  });
  expect(booked.status).toBe(201);
  const reference = ((await booked.json()) as { reference: string }).reference;
  const before = await seatsLeft(occurrence);

  const { page, problems } = await open(browser, { viewport: { width: 1280, height: 900 } });
  const signIn = async () => {
    await page.getByLabel('施設コード').fill('demo');
    await page.getByLabel('メールアドレス').fill('manager@demo.example');
    await page.getByLabel('パスワード').fill('Sakura-Demo-4821');
    await page.getByRole('button', { name: 'ログイン' }).click();
  };
  await page.goto(`${baseUrl}/admin`);
  await page.getByRole('heading', { name: 'ログイン' }).waitFor();
  await expectAccessible(page, 'the sign-in form');
  await signIn();

  // First sign-in: the manager must set up an authenticator.
  const secretShown = page.getByTestId('totp-secret');
  await secretShown.waitFor({ timeout: 30_000 });
  const secret = (await secretShown.textContent()) ?? '';
  await expectAccessible(page, 'the authenticator set-up');
  const step = Math.floor(Date.now() / 30_000);
  await page.getByLabel('認証アプリの6桁のコード').fill(totp(secret, step));
  await page.getByRole('button', { name: '確認する' }).click();
  await expect.poll(() => page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
  await page.getByRole('button', { name: '管理画面へ進む' }).click();
  await page.getByRole('heading', { name: '予約カレンダー' }).waitFor();

  // Sign out and in again, now with a code from the authenticator (the next step: each code
  // works once).
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await page.getByRole('heading', { name: 'ログイン' }).waitFor();
  await signIn();
  await page.getByLabel('認証アプリの6桁のコード').fill(totp(secret, step + 1));
  await page.getByRole('button', { name: '確認する' }).click();
  await page.getByRole('heading', { name: '予約カレンダー' }).waitFor();

  // Find the booking: month view, forward until it shows.
  await page.getByRole('button', { name: '月', exact: true }).click();
  const event = page.locator('.calendar').getByText(reference);
  for (let i = 0; i < 6 && (await event.count()) === 0; i++) {
    await page.getByRole('button', { name: '次へ' }).click();
    await page.waitForLoadState('networkidle');
  }
  await event.first().click();
  await page.getByRole('heading', { name: `予約 ${reference}` }).waitFor();
  expect(await page.locator('.panel').textContent()).toContain('管理 太郎');
  await expectAccessible(page, 'the calendar with a booking open');
  await page.getByRole('button', { name: 'この予約をキャンセルする' }).click();
  await page.getByRole('button', { name: 'キャンセルを確定する' }).click();
  await expect.poll(() => page.getByTestId('booking-status').textContent()).toBe('キャンセル済み');
  expect(await seatsLeft(occurrence)).toBe(before + 2);
  expect(problems).toEqual([]);
});
