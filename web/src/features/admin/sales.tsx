// Sales and receipts (/admin/sales, managers): payments taken, refunds given and cancellation
// fees kept per local day or month and offering, on screen and as CSV; the daily
// reconciliation with the payment provider and what it found; who issues the tenant's
// receipts (its qualified invoice registration number, T + 13 digits).
import { useEffect, useState } from 'preact/hooks';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { addDays, localDay } from '../../lib/datetime';
import { formatInstant } from '../../lib/datetime';
import type { DocumentSettings, InvoiceSettings, OccupancyReport, Reconciliation, SalesReport } from '../../lib/types';

export function Sales(props: { zone: string }) {
  return (
    <>
      <SalesReportView zone={props.zone} />
      <Reconciliations zone={props.zone} />
      <Occupancy zone={props.zone} />
      <Invoice />
      <Documents />
    </>
  );
}

function SalesReportView(props: { zone: string }) {
  const { t, locale } = useI18n();
  const today = localDay(new Date(), props.zone);
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [by, setBy] = useState<'day' | 'month'>('day');
  const [report, setReport] = useState<SalesReport | null>(null);
  const { busy, problem, run: act } = useSubmit();
  const query = new URLSearchParams({ from, to, by }).toString();
  const load = () => act(async () => setReport(await api<SalesReport>('GET', `/api/v1/reports/sales?${query}`)));
  useEffect(() => {
    void load();
  }, []);
  const yen = (n: number) => `${n.toLocaleString(locale)}${t('sales.yen')}`;
  return (
    <section class="stack" aria-labelledby="sales-title">
      <h1 id="sales-title">{t('sales.title')}</h1>
      <p>{t('sales.intro')}</p>
      <form
        class="card group"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <div class="field">
          <label for="sales-from">{t('sales.from')}</label>
          <input id="sales-from" type="date" value={from} max={addDays(today, 366)} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="sales-to">{t('sales.to')}</label>
          <input id="sales-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="sales-by">{t('sales.by')}</label>
          <select id="sales-by" value={by} onChange={(e) => setBy(e.currentTarget.value as 'day' | 'month')}>
            <option value="day">{t('sales.by_day')}</option>
            <option value="month">{t('sales.by_month')}</option>
          </select>
        </div>
        <button type="submit" disabled={busy}>
          {t('sales.show')}
        </button>
        <a href={`/api/v1/reports/sales?${query}&format=csv`} download>
          {t('sales.csv')}
        </a>
      </form>
      {problem ? <Alert>{problem}</Alert> : null}
      {!report ? (
        <Loading />
      ) : (
        <table data-testid="sales-table">
          <caption>{t('sales.caption', { zone: report.time_zone })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sales.period')}</th>
              <th scope="col">{t('sales.offering')}</th>
              <th scope="col">{t('sales.payments')}</th>
              <th scope="col">{t('sales.sales')}</th>
              <th scope="col">{t('sales.refunds')}</th>
              <th scope="col">{t('sales.fees')}</th>
              <th scope="col">{t('sales.net')}</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.length === 0 ? (
              <tr>
                <td colSpan={7}>{t('sales.empty')}</td>
              </tr>
            ) : null}
            {[...report.rows, { ...report.total, period: t('sales.total'), offering: '' }].map((r) => (
              <tr key={`${r.period}-${r.offering_id ?? 'total'}`}>
                <th scope="row">{r.period}</th>
                <td>{r.offering}</td>
                <td>{r.payments}</td>
                <td>{yen(r.sales_jpy)}</td>
                <td>{yen(r.refunds_jpy)}</td>
                <td>{yen(r.fees_jpy)}</td>
                <td>{yen(r.net_jpy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// Each day's payments set against the provider's balance (daily at 05:00; a day again on demand).
function Reconciliations(props: { zone: string }) {
  const { t, locale } = useI18n();
  const yesterday = addDays(localDay(new Date(), props.zone), -1);
  const [items, setItems] = useState<Reconciliation[] | null>(null);
  const [day, setDay] = useState(yesterday);
  const { busy, problem, field, run: act } = useSubmit();
  const load = () => act(async () => setItems((await api<{ items: Reconciliation[] }>('GET', '/api/v1/reports/reconciliations')).items));
  useEffect(() => {
    void load();
  }, []);
  return (
    <section class="stack" aria-labelledby="recon-title">
      <h2 id="recon-title">{t('recon.title')}</h2>
      <p>{t('recon.intro')}</p>
      <form
        class="card group"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await api('POST', '/api/v1/reports/reconciliations', { body: { date: day } });
            setItems((await api<{ items: Reconciliation[] }>('GET', '/api/v1/reports/reconciliations')).items);
          });
        }}
      >
        <div class="field">
          <label for="recon-day">{t('recon.day')}</label>
          <input id="recon-day" type="date" value={day} max={yesterday} onInput={(e) => setDay(e.currentTarget.value)} aria-invalid={field === 'date' ? true : undefined} />
        </div>
        <button type="submit" disabled={busy}>
          {t('recon.run')}
        </button>
      </form>
      {problem ? <Alert>{problem}</Alert> : null}
      {items === null ? (
        <Loading />
      ) : items.length === 0 ? (
        <p>{t('recon.none')}</p>
      ) : (
        <ul class="cards" data-testid="reconciliations">
          {items.map((r) => (
            <li key={r.date} class="card">
              <h3 class="reference-small">{r.date}</h3>
              <p role={r.state === 'ok' ? undefined : 'alert'}>
                {t(`recon.${r.state}`, { checked: r.checked, count: r.mismatches.length })}
                {r.problem ? ` ${r.problem}` : ''}
                {' · '}
                {formatInstant(r.ran_at, props.zone, locale)}
              </p>
              {r.mismatches.length ? (
                <ul>
                  {r.mismatches.map((m) => (
                    <li key={`${m.kind}-${m.provider_id}-${m.payment_ref}`}>
                      {t(`recon.kind_${m.kind}`)} {m.reference || m.payment_ref || m.provider_id}{' '}
                      {t('recon.amounts', { yoyaku: m.yoyaku_jpy.toLocaleString(locale), provider: m.provider_jpy.toLocaleString(locale) })}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// Who issues the tenant's receipts: a registered issuer's receipts are qualified invoices.
function Invoice() {
  const { t } = useI18n();
  const [form, setForm] = useState<InvoiceSettings | null>(null);
  const [saved, setSaved] = useState(false);
  const { busy, problem, field, run: act } = useSubmit();
  const path = '/api/v1/settings/invoice';
  useEffect(() => {
    void act(async () => setForm(await api<InvoiceSettings>('GET', path)));
  }, []);
  if (!form) return <Loading />;
  const set = (k: 'name' | 'registration_number' | 'address', v: string) => {
    setSaved(false);
    setForm({ ...form, [k]: v });
  };
  return (
    <form
      class="card stack"
      noValidate
      aria-labelledby="invoice-title"
      onSubmit={(e) => {
        e.preventDefault();
        void act(async () => {
          setForm(
            await api<InvoiceSettings>('PUT', path, {
              body: { name: form.name, registration_number: form.registration_number.trim(), address: form.address },
            }),
          );
          setSaved(true);
        });
      }}
    >
      <h2 id="invoice-title">{t('invoice.title')}</h2>
      <p>{t('invoice.intro')}</p>
      {(
        [
          ['name', 'invoice.name'],
          ['registration_number', 'invoice.registration_number'],
          ['address', 'invoice.address'],
        ] as const
      ).map(([k, label]) => (
        <div class="field" key={k}>
          <label for={`invoice-${k}`}>{t(label)}</label>
          <input
            id={`invoice-${k}`}
            value={form[k]}
            onInput={(e) => set(k, e.currentTarget.value)}
            aria-invalid={field === k ? true : undefined}
          />
        </div>
      ))}
      {problem ? <Alert>{problem}</Alert> : null}
      {saved ? <p role="status">{t('invoice.saved')}</p> : null}
      <div class="group">
        <button type="submit" disabled={busy}>
          {t('invoice.save')}
        </button>
      </div>
    </form>
  );
}

/** A file's bytes in base64 (a data URL's payload). */
function fileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

// What the tenant's permits and invoices say besides the booking, and its seal image.
function Documents() {
  const { t } = useI18n();
  const [form, setForm] = useState<DocumentSettings | null>(null);
  const [seal, setSeal] = useState<File | null>(null);
  const [saved, setSaved] = useState(false);
  const { busy, problem, field, run: act } = useSubmit();
  const path = '/api/v1/settings/documents';
  useEffect(() => {
    void act(async () => setForm(await api<DocumentSettings>('GET', path)));
  }, []);
  if (!form) return <Loading />;
  const save = (removeSeal: boolean) =>
    act(async () => {
      const body: Record<string, unknown> = { permit_text: form.permit_text, invoice_text: form.invoice_text };
      if (removeSeal) body.seal = '';
      else if (seal) body.seal = await fileBase64(seal);
      setForm(await api<DocumentSettings>('PUT', path, { body }));
      setSaved(true);
    });
  return (
    <form
      class="card stack"
      noValidate
      aria-labelledby="docs-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save(false);
      }}
    >
      <h2 id="docs-title">{t('docs.title')}</h2>
      <p>{t('docs.intro')}</p>
      {(['permit_text', 'invoice_text'] as const).map((k) => (
        <div class="field" key={k}>
          <label for={`docs-${k}`}>{t(`docs.${k}`)}</label>
          <textarea
            id={`docs-${k}`}
            rows={3}
            value={form[k]}
            onInput={(e) => {
              setSaved(false);
              setForm({ ...form, [k]: e.currentTarget.value });
            }}
            aria-invalid={field === k ? true : undefined}
          />
        </div>
      ))}
      <div class="field">
        <label for="docs-seal">{t('docs.seal')}</label>
        <input
          id="docs-seal"
          type="file"
          accept="image/png"
          onChange={(e) => setSeal(e.currentTarget.files?.[0] ?? null)}
          aria-invalid={field === 'seal' ? true : undefined}
        />
        {form.has_seal ? <p class="muted">{t('docs.seal_set')}</p> : null}
      </div>
      {problem ? <Alert>{problem}</Alert> : null}
      {saved ? <p role="status">{t('docs.saved')}</p> : null}
      <div class="group">
        <button type="submit" disabled={busy}>
          {t('docs.save')}
        </button>
        {form.has_seal ? (
          <button type="button" disabled={busy} onClick={() => void save(true)}>
            {t('docs.seal_remove')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

// A month's occupancy (稼働率) per room and time division, and takings by user class.
function Occupancy(props: { zone: string }) {
  const { t, locale } = useI18n();
  const [month, setMonth] = useState(localDay(new Date(), props.zone).slice(0, 7));
  const [report, setReport] = useState<OccupancyReport | null>(null);
  const { problem, run: act } = useSubmit();
  useEffect(() => {
    if (/^\d{4}-\d{2}$/.test(month))
      void act(async () => setReport(await api<OccupancyReport>('GET', `/api/v1/reports/occupancy?month=${month}`)));
  }, [month]);
  return (
    <section class="card stack" aria-labelledby="occupancy-title">
      <h2 id="occupancy-title">{t('occupancy.title')}</h2>
      <div class="field">
        <label for="occupancy-month">{t('occupancy.month')}</label>
        <input id="occupancy-month" type="month" value={month} onInput={(e) => setMonth(e.currentTarget.value)} />
      </div>
      {problem ? <Alert>{problem}</Alert> : null}
      {report ? (
        <>
          <table class="list" data-testid="occupancy">
            <caption>{t('occupancy.rooms')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('occupancy.room')}</th>
                <th scope="col">{t('occupancy.division')}</th>
                <th scope="col">{t('occupancy.booked')}</th>
                <th scope="col">{t('occupancy.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {report.occupancy.map((r) => (
                <tr key={`${r.resource_id}-${r.division}`}>
                  <td>{r.resource_name}</td>
                  <td>{r.division_name || t('occupancy.hours')}</td>
                  <td class="num">
                    {r.unit === 'minutes'
                      ? t('occupancy.minutes', { booked: r.booked.toLocaleString(locale), available: r.available.toLocaleString(locale) })
                      : `${r.booked} / ${r.available}`}
                  </td>
                  <td class="num">{r.rate_percent.toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table class="list">
            <caption>{t('occupancy.revenue')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('occupancy.class')}</th>
                <th scope="col">{t('occupancy.bookings')}</th>
                <th scope="col">{t('fees.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {report.revenue_by_class.map((c) => (
                <tr key={c.user_class}>
                  <td>{c.user_class || t('occupancy.no_class')}</td>
                  <td class="num">{c.bookings}</td>
                  <td class="num">{t('tickets.price', { price: c.total_jpy.toLocaleString(locale) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <a href={`/api/v1/reports/occupancy?month=${month}&format=csv`} download>
            {t('occupancy.csv')}
          </a>
        </>
      ) : null}
    </section>
  );
}
