// A rental offering's equipment (from the tenant's equipment resources: price per division or
// block, most per booking) and the surcharges customers declare (a percent of the room charge
// or an amount per division or block), row by row (ADR 0023).
import { useI18n } from '../../i18n/i18n';
import type { Resource } from './resources';
export type EquipmentRow = { resource_id: number; price_jpy: number; max_quantity: number; name?: string };
export type SurchargeRow = { code: string; name: string; percent: number; per_block_jpy: number };

/** A rental's equipment (from the tenant's equipment resources) and surcharges, row by row. */
export function RentalExtras(props: {
  equipment: EquipmentRow[];
  setEquipment: (rows: EquipmentRow[]) => void;
  surcharges: SurchargeRow[];
  setSurcharges: (rows: SurchargeRow[]) => void;
  stock: Resource[];
  bad: (field: string) => Record<string, unknown>;
}) {
  const { t } = useI18n();
  const { equipment, surcharges } = props;
  const setRow = (i: number, change: Partial<EquipmentRow>) =>
    props.setEquipment(equipment.map((x, j) => (j === i ? { ...x, ...change } : x)));
  const setCharge = (i: number, change: Partial<SurchargeRow>) =>
    props.setSurcharges(surcharges.map((x, j) => (j === i ? { ...x, ...change } : x)));
  return (
    <>
      <fieldset class="span" id="off-equipment">
        <legend>{t('off.equipment')}</legend>
        {equipment.map((e, i) => (
          <div class="filters" key={i}>
            <select
              aria-label={t('off.equipment_resource', { n: i + 1 })}
              id={`off-equipment-${i}`}
              value={e.resource_id}
              onChange={(ev) => setRow(i, { resource_id: Number(ev.currentTarget.value), name: '' })}
              {...props.bad(`equipment[${i}].resource_id`)}
            >
              {props.stock.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
            <input
              type="number"
              min={0}
              aria-label={t('off.equipment_price', { n: i + 1 })}
              id={`off-equipment-price-${i}`}
              value={e.price_jpy}
              onInput={(ev) => setRow(i, { price_jpy: Number(ev.currentTarget.value) || 0 })}
              {...props.bad(`equipment[${i}].price_jpy`)}
            />
            <input
              type="number"
              min={1}
              aria-label={t('off.equipment_max', { n: i + 1 })}
              value={e.max_quantity}
              onInput={(ev) => setRow(i, { max_quantity: Number(ev.currentTarget.value) || 1 })}
              {...props.bad(`equipment[${i}].max_quantity`)}
            />
            <button type="button" onClick={() => props.setEquipment(equipment.filter((_, j) => j !== i))}>
              {t('off.equipment_remove', { n: i + 1 })}
            </button>
          </div>
        ))}
        {props.stock.length ? (
          <button
            type="button"
            onClick={() => props.setEquipment([...equipment, { resource_id: props.stock[0]!.id, price_jpy: 0, max_quantity: 1 }])}
          >
            {t('off.equipment_add')}
          </button>
        ) : null}
      </fieldset>
      <fieldset class="span" id="off-surcharges">
        <legend>{t('off.surcharges')}</legend>
        {surcharges.map((x, i) => (
          <div class="filters" key={i}>
            <input
              aria-label={t('off.surcharge_code', { n: i + 1 })}
              id={`off-surcharge-code-${i}`}
              value={x.code}
              onInput={(ev) => setCharge(i, { code: ev.currentTarget.value })}
              {...props.bad(`surcharges[${i}].code`)}
            />
            <input
              aria-label={t('off.surcharge_name', { n: i + 1 })}
              id={`off-surcharge-name-${i}`}
              value={x.name}
              onInput={(ev) => setCharge(i, { name: ev.currentTarget.value })}
              {...props.bad(`surcharges[${i}].name`)}
            />
            <input
              type="number"
              min={0}
              aria-label={t('off.surcharge_percent', { n: i + 1 })}
              id={`off-surcharge-percent-${i}`}
              value={x.percent}
              onInput={(ev) => setCharge(i, { percent: Number(ev.currentTarget.value) || 0 })}
              {...props.bad(`surcharges[${i}].percent`)}
            />
            <input
              type="number"
              min={0}
              aria-label={t('off.surcharge_per_block', { n: i + 1 })}
              id={`off-surcharge-per-block-${i}`}
              value={x.per_block_jpy}
              onInput={(ev) => setCharge(i, { per_block_jpy: Number(ev.currentTarget.value) || 0 })}
              {...props.bad(`surcharges[${i}]`)}
            />
            <button type="button" onClick={() => props.setSurcharges(surcharges.filter((_, j) => j !== i))}>
              {t('off.surcharge_remove', { n: i + 1 })}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => props.setSurcharges([...surcharges, { code: '', name: '', percent: 0, per_block_jpy: 0 }])}>
          {t('off.surcharge_add')}
        </button>
      </fieldset>
    </>
  );
}
