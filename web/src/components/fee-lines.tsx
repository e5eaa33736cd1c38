// A rental's itemised fee (ADR 0023): each line with its unit price and quantity, the total and
// the tax it includes, as quoted before booking and kept with the booking.
import { useI18n } from '../i18n/i18n';
import type { FeeLine } from '../lib/types';

export function FeeLines(props: { lines: readonly FeeLine[]; total: number; tax?: number; id?: string }) {
  const { t, locale } = useI18n();
  const yen = (n: number) => t('tickets.price', { price: n.toLocaleString(locale) });
  return (
    <table class="list fee-lines" id={props.id} data-testid="fee-lines">
      <caption>{t('fees.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('fees.item')}</th>
          <th scope="col">{t('fees.unit')}</th>
          <th scope="col">{t('fees.quantity')}</th>
          <th scope="col">{t('fees.amount')}</th>
        </tr>
      </thead>
      <tbody>
        {props.lines.map((l, i) => (
          <tr key={i}>
            <td>{l.label}</td>
            <td class="num">{l.kind === 'class' ? '' : yen(l.unit_jpy)}</td>
            <td class="num">{l.kind === 'class' ? '' : l.quantity}</td>
            <td class="num">{yen(l.amount_jpy)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            {t('fees.total')}
          </th>
          <td class="num">
            {yen(props.total)}
            {props.tax !== undefined ? <span class="muted"> {t('fees.tax', { tax: props.tax.toLocaleString(locale) })}</span> : null}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
