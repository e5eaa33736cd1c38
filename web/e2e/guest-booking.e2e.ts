// A guest books the demo concert on a phone-sized screen, sees the confirmation with the
// reference and its QR code, then finds the booking again, moves it to the next evening and
// cancels it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseUrl, expectAccessible, firstOccurrence, json, launch, mailLink, open, phone, seatsLeft } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('a guest books a slot and sees the confirmation, then moves and cancels it', async () => {
  const { page, problems } = await open(browser, phone);
  await page.goto(`${baseUrl}/t/demo`);
  await expect.poll(() => page.locator('h1').textContent()).toBe('予約できるもの');
  await expect.poll(() => page.title()).toContain('デモ市民会館');
  await expectAccessible(page, 'the offerings list');

  await page.getByRole('link', { name: /デモ演奏会/ }).click();
  await page.waitForURL(/\/t\/demo\/o\/\d+$/);
  const firstTime = page.locator('.times button').first();
  await firstTime.waitFor();
  await expectAccessible(page, 'the slot calendar');
  // The demo concert starts at 18:00 in Tokyo; the browser itself runs in UTC.
  await expect.poll(() => firstTime.locator('.time').textContent()).toBe('18:00');
  await firstTime.click();

  const occurrence = await firstOccurrence();
  const before = await seatsLeft(occurrence);

  await page.getByLabel(/一般/).fill('2');
  await page.getByLabel(/小学生/).fill('1');
  await expect.poll(() => page.locator('.total').textContent()).toContain('7,000');
  await page.getByLabel(/^お名前/).fill('予約 花子');
  await page.getByLabel(/^メールアドレス/).fill('hanako@example.jp');
  await expectAccessible(page, 'the booking form');
  // The proof-of-work was solved while the form was filled in: the booking carries its answer.
  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/public/demo/bookings'));
  await page.getByRole('button', { name: '予約を確定する' }).click();
  expect(((await sent).postDataJSON() as { altcha?: string }).altcha).toMatch(/^[A-Za-z0-9+/=]{40,}$/);

  await page.waitForURL(/\/t\/demo\/done\/[0-9A-Z]{10}$/);
  const reference = (await page.getByTestId('reference').textContent())?.trim() ?? '';
  expect(reference).toMatch(/^[0-9A-Z]{10}$/);
  expect(await page.locator('h1').textContent()).toBe('ご予約を承りました');
  const qr = page.getByRole('img', { name: /QRコード/ });
  expect(await qr.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  await expectAccessible(page, 'the confirmation');
  expect(await seatsLeft(occurrence)).toBe(before - 3);

  // The booking is stored as the page says.
  const found = await json<{ status: string; seats: number; total_jpy: number }>(
    'POST',
    `/api/v1/public/demo/bookings/${reference}/lookup`,
    { email: 'hanako@example.jp' },
  );
  expect(found.status).toBe(200);
  expect(found.body).toMatchObject({ status: 'confirmed', seats: 3, total_jpy: 7000 });

  // The confirmation mail carries a signed link that shows the booking without the address.
  const link = await mailLink('hanako@example.jp', new RegExp(`https?://\\S+/t/demo/manage\\?ref=${reference}#key=[0-9a-f]{32}`));
  const viaMail = await browser.newPage();
  const url = new URL(link); // the link as mailed, opened on the server under test
  await viaMail.goto(`${baseUrl}${url.pathname}${url.search}${url.hash}`);
  await expect.poll(() => viaMail.getByTestId('booking-status').textContent()).toBe('確定');
  await viaMail.close();

  await page.getByRole('link', { name: '予約の変更・キャンセル' }).click();
  await page.waitForURL(/\/manage\?ref=/);
  expect(await page.getByLabel('予約番号').inputValue()).toBe(reference);
  await page.getByLabel('予約したメールアドレス').fill('hanako@example.jp');
  await page.getByRole('button', { name: '予約を表示' }).click();
  await expect.poll(() => page.getByTestId('booking-status').textContent()).toBe('確定');
  // One ticket per seat, each its own QR code, and the PDF to print.
  await expect.poll(() => page.getByTestId('ticket').count()).toBe(3);
  expect(await page.getByRole('img', { name: new RegExp(`^チケット ${reference}-1 .*のQRコード$`) }).count()).toBe(1);
  await page.getByRole('button', { name: 'チケットを印刷（PDF）' }).waitFor();
  await expectAccessible(page, "the booking's tickets");

  // Move it to the next evening: the seats follow the booking.
  await page.getByRole('button', { name: '日時を変更する' }).click();
  await page.locator('.confirm .days button:not([disabled])').nth(1).click();
  await page.locator('.confirm .times button').first().click();
  await expectAccessible(page, 'moving a booking');
  await page.getByRole('button', { name: 'この日時に変更する' }).click();
  await page.getByText('日時を変更しました').waitFor();
  expect(await seatsLeft(occurrence)).toBe(before);
  // New tickets for the new date, numbered on; the old ones are revoked.
  await expect.poll(() => page.getByRole('img', { name: new RegExp(`チケット ${reference}-4 `) }).count()).toBe(1);
  const moved = await json<{ occurrence_id: number }>('POST', `/api/v1/public/demo/bookings/${reference}/lookup`, {
    email: 'hanako@example.jp',
  });
  expect(moved.body.occurrence_id).not.toBe(occurrence);
  const next = moved.body.occurrence_id;
  const nextBefore = await seatsLeft(next);

  await page.getByRole('button', { name: 'この予約をキャンセルする' }).click();
  await expectAccessible(page, 'the cancel confirmation');
  await page.getByRole('group').getByRole('button', { name: 'この予約をキャンセルする' }).click();
  await expect.poll(() => page.getByTestId('booking-status').textContent()).toBe('キャンセル済み');
  expect(await seatsLeft(occurrence)).toBe(before);
  expect(await seatsLeft(next)).toBe(nextBefore + 3);
  expect(problems).toEqual([]);
});

test('the site switches to English and shows times in the venue zone', async () => {
  const { page, problems } = await open(browser, { timezoneId: 'America/New_York' });
  await page.goto(`${baseUrl}/t/demo`);
  await page.getByRole('button', { name: 'Language: English' }).click();
  await expect.poll(() => page.locator('h1').textContent()).toBe('What you can book');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  await page.getByRole('link', { name: /Demo concert/ }).click();
  const firstTime = page.locator('.times button').first();
  await firstTime.waitFor();
  expect(await firstTime.locator('.time').textContent()).toBe('18:00');
  await expectAccessible(page, 'the English slot calendar');
  // The choice is remembered on the next visit.
  await page.goto(`${baseUrl}/t/demo`);
  await expect.poll(() => page.locator('h1').textContent()).toBe('What you can book');
  expect(problems).toEqual([]);
});
