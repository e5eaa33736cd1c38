// The demo operator signs in (setting up the authenticator), creates a tenant whose first
// manager chooses a password from the set-up link, suspends the tenant, blocks and unblocks an
// address range, reads the platform's health, and posts a notice to the new tenant that its
// manager reads in their mail and on the admin screen; the public status page is up.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseUrl, expectAccessible, json, launch, mailLink, open, totp } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('the operator creates and suspends a tenant, manages address rules and sees the health', async () => {
  const { page, problems } = await open(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${baseUrl}/operator`);
  await page.getByRole('heading', { name: 'ログイン' }).waitFor();
  expect(await page.getByLabel('施設コード').count()).toBe(0);
  await page.getByLabel('メールアドレス').fill('operator@demo.example');
  await page.getByLabel('パスワード').fill('Fuji-Operator-7310');
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  const secretShown = page.getByTestId('totp-secret');
  await secretShown.waitFor({ timeout: 30_000 });
  await page.getByLabel('認証アプリの6桁のコード').fill(totp((await secretShown.textContent()) ?? ''));
  await page.getByRole('button', { name: '確認する' }).click();
  await page.getByRole('button', { name: '管理画面へ進む' }).click();
  await page.getByRole('heading', { name: 'テナント', exact: true }).waitFor();
  await expect.poll(() => page.getByTestId('tenant-status-demo').textContent()).toBe('利用中');
  await expectAccessible(page, 'the tenants screen');

  // A bad code is named at its field; a good one makes the tenant and its manager's link.
  const code = `hall-${Date.now() % 100000}`;
  await page.getByLabel('コード').fill('Bad Code!');
  await page.getByLabel('名前', { exact: true }).fill('みなと公民館');
  await page.getByLabel('管理者のメールアドレス').fill(`chief@${code}.example`);
  await page.getByRole('button', { name: '作成する' }).click();
  await expect.poll(() => page.getByLabel('コード').getAttribute('aria-invalid')).toBe('true');
  await page.getByLabel('コード').fill(code);
  await page.getByRole('button', { name: '作成する' }).click();
  const link = (await page.getByTestId('setup-link').textContent()) ?? '';
  expect(link).toMatch(/\/setup#token=/);
  await expect.poll(() => page.getByTestId(`tenant-status-${code}`).textContent()).toBe('利用中');

  // The new manager chooses a password from the link (in another browser).
  const { page: chief } = await open(browser);
  const url = new URL(link);
  await chief.goto(`${baseUrl}${url.pathname}${url.hash}`);
  await chief.getByLabel('新しいパスワード（12文字以上）').fill('Minato-Chief-2048');
  await chief.getByRole('button', { name: 'パスワードを設定する' }).click();
  await chief.getByText('パスワードを設定しました').waitFor();
  expect(await chief.getByRole('link', { name: 'ログインへ' }).getAttribute('href')).toBe('/admin');
  await expectAccessible(chief, 'the set-up page');

  await page.getByLabel('理由（状態の変更・制限の追加に記録）').fill('e2e: 利用料未払いのため');
  await page.getByRole('button', { name: `${code} を停止する` }).click();
  await expect.poll(() => page.getByTestId(`tenant-status-${code}`).textContent()).toBe('停止中');
  const booking = await json<unknown>('GET', `/api/v1/public/${code}/offerings`);
  expect(booking.status).toBe(404);

  await page.getByRole('link', { name: 'アドレス制限' }).click();
  await page.getByRole('heading', { name: 'アドレス制限', exact: true }).waitFor();
  await page.getByLabel('アドレスまたは範囲（CIDR）').fill('198.51.100.0/24');
  await page.getByLabel('理由（状態の変更・制限の追加に記録）').fill('e2e: 不正なログインの試行');
  await page.getByRole('button', { name: '追加する' }).click();
  const remove = page.getByRole('button', { name: '198.51.100.0/24 の制限を外す' });
  await remove.waitFor();
  await expectAccessible(page, 'the address rules');
  await remove.click();
  await expect.poll(() => remove.count()).toBe(0);

  await page.getByRole('link', { name: '稼働状況' }).click();
  await expect.poll(() => page.getByTestId('readiness').textContent()).toBe('稼働中');
  await page.getByRole('heading', { name: '自己監視' }).waitFor({ timeout: 10_000 });
  await expectAccessible(page, 'the health screen');

  // Notices: maintenance two days ahead needs an emergency reason; an incident goes out.
  await page.getByRole('link', { name: 'お知らせ（障害・メンテナンス）' }).click();
  await page.getByTestId('maintenance-state').waitFor({ timeout: 10_000 });
  await expectAccessible(page, 'the notices screen');
  await page.getByLabel('種類').selectOption('maintenance');
  await page.getByLabel('件名').fill('e2e: 定期点検');
  await page.getByLabel('開始').fill(tokyoInput(48));
  await page.getByLabel('終了（メンテナンスは必須）').fill(tokyoInput(50));
  await page.getByLabel('対象テナントのコード（空欄: すべて。カンマ区切り）').fill(code);
  await page.getByRole('button', { name: 'お知らせを出す（管理者にメールします）' }).click();
  const reason = page.getByLabel('緊急の理由（7日以内のメンテナンスに必須）');
  await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
  await page.getByLabel('種類').selectOption('incident');
  await page.getByLabel('件名').fill('e2e: 予約画面の遅延');
  await page.getByLabel('本文').fill('調査中です。');
  await page.getByLabel('終了（メンテナンスは必須）').fill('');
  await page.getByRole('button', { name: 'お知らせを出す（管理者にメールします）' }).click();
  await page.getByRole('heading', { name: /e2e: 予約画面の遅延/ }).waitFor({ timeout: 10_000 });
  await mailLink(`chief@${code}.example`, /e2e: 予約画面の遅延/);

  // The new manager signs in (setting up the authenticator) and sees the notice above the page.
  await chief.goto(`${baseUrl}/admin`);
  await chief.getByLabel('施設コード').fill(code);
  await chief.getByLabel('メールアドレス').fill(`chief@${code}.example`);
  await chief.getByLabel('パスワード').fill('Minato-Chief-2048');
  await chief.getByRole('button', { name: 'ログイン', exact: true }).click();
  const chiefSecret = chief.getByTestId('totp-secret');
  await chiefSecret.waitFor({ timeout: 30_000 });
  await chief.getByLabel('認証アプリの6桁のコード').fill(totp((await chiefSecret.textContent()) ?? ''));
  await chief.getByRole('button', { name: '確認する' }).click();
  await chief.getByRole('button', { name: '管理画面へ進む' }).click();
  await expect.poll(() => chief.getByTestId('notice-banner').textContent()).toContain('e2e: 予約画面の遅延');
  await expectAccessible(chief, 'the admin console with a notice');

  // The public status page.
  const { page: visitor } = await open(browser);
  await visitor.goto(`${baseUrl}/status`);
  await expect.poll(() => visitor.getByTestId('platform-state').textContent()).toContain('正常に稼働');
  await expectAccessible(visitor, 'the status page');
  expect(problems).toEqual([]);
}, 120_000);

/** A datetime-local value `hours` from now, in Tokyo. */
function tokyoInput(hours: number): string {
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(Date.now() + hours * 3_600_000));
  return parts.replace(' ', 'T');
}
