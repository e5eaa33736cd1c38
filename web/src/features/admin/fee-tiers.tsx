// An offering's cancellation fee tiers, edited in days before the start (the API keeps
// minutes): a row each, added and removed.
import { useI18n } from '../../i18n/i18n';

export interface FeeTierRow {
  days: string;
  percent: string;
}

export function FeeTiers(props: {
  fees: FeeTierRow[];
  setFees: (rows: FeeTierRow[]) => void;
  bad: (field: string) => Record<string, unknown>;
}) {
  const { t } = useI18n();
  const { fees, setFees, bad } = props;
  return (
    <fieldset class="span">
      <legend>{t('off.fees')}</legend>
      <p class="muted">{t('off.fees_help')}</p>
      {fees.map((f, i) => (
        <div class="filters" key={i} role="group" aria-label={t('off.fee_n', { n: i + 1 })}>
          <div class="field">
            <label for={`fee-days-${i}`}>{t('off.fee_days')}</label>
            <input
              id={`fee-days-${i}`}
              type="number"
              inputMode="decimal"
              value={f.days}
              onInput={(e) => setFees(fees.map((x, j) => (j === i ? { ...x, days: e.currentTarget.value } : x)))}
              {...bad(`cancellation_fees[${i}].within_minutes`)}
            />
          </div>
          <div class="field">
            <label for={`fee-percent-${i}`}>{t('off.fee_percent')}</label>
            <input
              id={`fee-percent-${i}`}
              type="number"
              inputMode="numeric"
              value={f.percent}
              onInput={(e) => setFees(fees.map((x, j) => (j === i ? { ...x, percent: e.currentTarget.value } : x)))}
              {...bad(`cancellation_fees[${i}].percent`)}
            />
          </div>
          <button type="button" onClick={() => setFees(fees.filter((_, j) => j !== i))}>
            {t('off.remove_fee_n', { n: i + 1 })}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => setFees([...fees, { days: '1', percent: '100' }])}>
        {t('off.add_fee')}
      </button>
    </fieldset>
  );
}
