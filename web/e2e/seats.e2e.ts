// A guest books two numbered seats of the demo recital on its seat map (keyboard and screen
// reader usable: each seat a labelled button in a row group), receives the mail with two QR
// codes, and sees one ticket per seat naming it; the seats are then shown taken. Row A is S席,
// dearer: the total follows the seats chosen.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseUrl, expectAccessible, json, launch, mailLink, open } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('a guest picks two seats on the map and gets a ticket for each', async () => {
  const { page, problems } = await open(browser);
  await page.goto(`${baseUrl}/t/demo`);
  await page.getByRole('link', { name: /デモ室内楽リサイタル/ }).click();
  await page.waitForURL(/\/t\/demo\/o\/\d+$/);
  const firstTime = page.locator('.times button').first();
  await firstTime.waitFor();
  await firstTime.click();
  await page.getByLabel(/一般/).fill('2');
  // Prices differ by seat category: the best available is asked for in one (S first).
  expect(await page.getByLabel('席種').inputValue()).toBe('S');
  await page.getByLabel('席種').selectOption('A');
  await expect.poll(() => page.locator('.total').textContent()).toContain('8,000');
  await page.getByRole('radio', { name: '座席を選ぶ' }).check();
  const row = page.getByRole('group', { name: 'A 列' });
  await row.waitFor();
  // A-5 is held back by the house: shown, not for sale.
  expect(await page.getByRole('button', { name: /^A 列 5 番/ }).isDisabled()).toBe(true);
  // Keyboard: focus the seat and press Enter; the mouse for the second.
  await page.getByRole('button', { name: /^A 列 3 番/ }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: /^A 列 4 番/ }).click();
  expect(await page.getByRole('button', { name: /^A 列 3 番/ }).getAttribute('aria-pressed')).toBe('true');
  await expect.poll(() => page.locator('.seats [role=status]').textContent()).toContain('A-3, A-4');
  // Row A is S席: 5,000 yen each.
  await expect.poll(() => page.locator('.total').textContent()).toContain('10,000');
  await expectAccessible(page, 'the seat map');
  // The same choice as a list of the free seats, row by row (held seats are not in it).
  await page.getByRole('button', { name: '一覧で選ぶ' }).click();
  expect(await page.getByRole('checkbox', { name: /^A 列 3 番/ }).isChecked()).toBe(true);
  expect(await page.getByRole('checkbox', { name: /^A 列 5 番/ }).count()).toBe(0);
  await page.getByRole('checkbox', { name: /^A 列 4 番/ }).uncheck();
  await page.getByRole('checkbox', { name: /^A 列 4 番/ }).check();
  await expectAccessible(page, 'the seat list');
  await page.getByRole('button', { name: '一覧で選ぶ' }).click();
  await page.getByLabel(/^お名前/).fill('座席 花子');
  await page.getByLabel(/^メールアドレス/).fill('seats@example.jp');
  await page.getByRole('button', { name: '予約を確定する' }).click();
  await page.waitForURL(/\/t\/demo\/done\/[0-9A-Z]{10}$/);
  const reference = (await page.getByTestId('reference').textContent())?.trim() ?? '';

  const found = await json<{ seat_ids: string[]; occurrence_id: number; total_jpy: number }>(
    'POST',
    `/api/v1/public/demo/bookings/${reference}/lookup`,
    { email: 'seats@example.jp' },
  );
  expect(found.status).toBe(200);
  expect(found.body.seat_ids).toEqual(['A-3', 'A-4']);
  expect(found.body.total_jpy).toBe(10000);
  // The seats are taken for everyone now (who holds them is never shown).
  const seats = await json<{ taken: string[] }>('GET', `/api/v1/public/demo/occurrences/${found.body.occurrence_id}/seats`);
  expect(seats.body.taken).toEqual(expect.arrayContaining(['A-3', 'A-4']));

  // The mail: two tickets, each its own inline QR code, captioned with its seat.
  await mailLink('seats@example.jp', new RegExp(`${reference}-1 .*A-3`));
  await mailLink('seats@example.jp', new RegExp(`${reference}-2 .*A-4`));

  // The booking page shows one ticket per seat, naming it.
  await page.goto(`${baseUrl}/t/demo/manage?ref=${reference}`);
  await page.getByLabel('予約したメールアドレス').fill('seats@example.jp');
  await page.getByRole('button', { name: '予約を表示' }).click();
  await expect.poll(() => page.getByTestId('ticket').count()).toBe(2);
  expect(await page.getByRole('img', { name: new RegExp(`^チケット ${reference}-1 .*A-3.*のQRコード$`) }).count()).toBe(1);
  expect(problems).toEqual([]);
});
