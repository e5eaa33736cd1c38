// A customer signs up on the booking site, confirms the address from the mail, signs in, books
// the demo concert as a member, finds it on their page, downloads their data, renames
// themselves, cancels the booking and erases the account.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseUrl, expectAccessible, launch, mailLink, open, phone } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('a customer signs up, books, exports their data and erases the account', async () => {
  const email = `member-${Date.now()}@example.jp`;
  const password = 'Momiji-Member-5930';
  const { page, problems } = await open(browser, { ...phone, acceptDownloads: true });
  await page.goto(`${baseUrl}/t/demo`);
  await page.getByRole('link', { name: 'マイページ・ログイン' }).click();
  await page.getByRole('heading', { name: '会員ログイン' }).waitFor();
  await expectAccessible(page, 'the member sign-in');
  await page.getByRole('link', { name: '会員登録する' }).click();
  await page.getByRole('heading', { name: '会員登録' }).waitFor();

  // A short password: the API's error stands beside the password field; nothing is stored.
  await page.getByLabel('お名前').fill('会員 花子');
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード（12文字以上）').fill('short');
  await page.getByRole('button', { name: '登録する' }).click();
  const passwordError = page.locator('#password-error');
  await passwordError.waitFor();
  expect(await page.getByLabel('パスワード（12文字以上）').getAttribute('aria-invalid')).toBe('true');
  await expectAccessible(page, 'the sign-up form with an error');
  await page.getByLabel('パスワード（12文字以上）').fill(password);
  await page.getByRole('button', { name: '登録する' }).click();
  await page.getByText('確認メールを送りました').waitFor({ timeout: 30_000 });

  // The confirmation link arrives by mail (a real SMTP server) and opens the tenant's page.
  const link = await mailLink(email, /https?:\/\/\S+\/t\/demo\/verify#token=[\w.-]+/);
  const url = new URL(link);
  await page.goto(`${baseUrl}${url.pathname}${url.hash}`);
  await page.getByText('メールアドレスを確認しました').waitFor();
  expect(page.url()).not.toContain('token=');
  await expectAccessible(page, 'the address confirmation');
  await page.getByRole('link', { name: 'ログインへ' }).click();
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await page.getByRole('heading', { name: 'マイページ', exact: true }).waitFor({ timeout: 30_000 });
  await page.getByText('予約はありません').waitFor();
  await expectAccessible(page, 'my page, no bookings');

  // Book the concert as the member: name and address come from the account.
  await page.getByRole('link', { name: '予約する' }).click();
  await page.getByRole('link', { name: /デモ演奏会/ }).click();
  await page.locator('.times button').first().click();
  await page.getByLabel(/一般/).fill('1');
  expect(await page.getByLabel(/^メールアドレス/).inputValue()).toBe(email);
  expect(await page.getByLabel(/^お名前/).inputValue()).toBe('会員 花子');
  await page.getByRole('button', { name: '予約を確定する' }).click();
  await page.waitForURL(/\/t\/demo\/done\/[0-9A-Z]{10}$/);
  const reference = (await page.getByTestId('reference').textContent())?.trim() ?? '';

  // My page lists it; the download holds the account and the booking.
  await page.goto(`${baseUrl}/t/demo/me`);
  await page.getByRole('heading', { name: reference }).waitFor();
  await expectAccessible(page, 'my page with a booking');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '登録データのダウンロード（JSON）' }).click();
  const file = await (await download).path();
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    account: { email: string; name: string };
    bookings: { reference: string; customer: { email: string } }[];
  };
  expect(data.account).toMatchObject({ email, name: '会員 花子' });
  expect(data.bookings.map((b) => b.reference)).toEqual([reference]);
  expect(data.bookings[0]?.customer.email).toBe(email);

  // A secret calendar address lists the booking for the member's calendar app.
  await page.getByRole('button', { name: 'カレンダー用のURLを作る' }).click();
  const feed = new URL((await page.getByTestId('feed-url').textContent()) ?? '');
  const ics = await (await fetch(`${baseUrl}${feed.pathname}`)).text();
  expect(ics).toContain('BEGIN:VCALENDAR');
  expect(ics).toContain(reference);

  // Signed up on the Japanese site, so mail came in Japanese; now English, and a new name.
  expect(await page.getByLabel('メールの言語').inputValue()).toBe('ja');
  await page.getByLabel('お名前').fill('会員 花');
  await page.getByLabel('メールの言語').selectOption('en');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByText('保存しました').waitFor();
  const who = (await (await page.request.get(`${baseUrl}/api/v1/session`)).json()) as {
    account: { name: string; locale: string };
  };
  expect(who.account).toMatchObject({ name: '会員 花', locale: 'en' });

  // Erasing is refused while a booking is ahead; cancelled, it goes.
  await page.getByLabel('確認のためパスワードを入力').fill(password);
  await page.getByRole('button', { name: 'アカウントを削除する' }).click();
  await page.getByText('これからの予約をキャンセルしてから').waitFor();
  await page.getByRole('button', { name: 'この予約をキャンセルする' }).click();
  await page.getByRole('group').getByRole('button', { name: 'この予約をキャンセルする' }).click();
  await page.getByText(`${reference} をキャンセルしました`).waitFor();
  await page.getByLabel('確認のためパスワードを入力').fill(password);
  await page.getByRole('button', { name: 'アカウントを削除する' }).click();
  await page.getByText('アカウントを削除しました').waitFor();
  await expectAccessible(page, 'the farewell');

  // Gone with its session.
  expect((await page.request.get(`${baseUrl}/api/v1/session`)).status()).toBe(401);
  expect(problems).toEqual([]);
});
