// What a staff member sees (RESV's manager/employee split): a manager ticks the resources
// (their own calendar, rooms, equipment) and offerings a staff member is limited to. Nothing
// ticked means no limit: they see the whole tenant. The server enforces it everywhere; this
// screen only chooses.
import { useEffect, useState } from 'preact/hooks';
import { Loading } from '../../components/layout';
import { useFreshSubmit } from '../../components/reauth';
import { useI18n, type Translate } from '../../i18n/i18n';
import { api } from '../../lib/api';

export interface StaffScope {
  limited: boolean;
  resource_ids: number[];
  offering_ids: number[];
}

interface Named {
  id: number;
  name: string;
}

function Choices(props: { legend: string; items: Named[]; chosen: number[]; onChange: (ids: number[]) => void; kind: string }) {
  return (
    <fieldset class="span">
      <legend>{props.legend}</legend>
      <div class="columns">
        {props.items.map((x) => (
          <label key={x.id} class="check">
            <input
              type="checkbox"
              data-testid={`scope-${props.kind}-${x.name}`}
              checked={props.chosen.includes(x.id)}
              onChange={(e) =>
                props.onChange(e.currentTarget.checked ? [...props.chosen, x.id] : props.chosen.filter((y) => y !== x.id))
              }
            />{' '}
            {x.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function StaffScopeEditor(props: { id: number; name: string; scope: StaffScope; onDone: (message: string | null) => void }) {
  const { t } = useI18n();
  const [resources, setResources] = useState<Named[] | null>(null);
  const [offerings, setOfferings] = useState<Named[] | null>(null);
  const [resourceIds, setResourceIds] = useState(props.scope.resource_ids);
  const [offeringIds, setOfferingIds] = useState(props.scope.offering_ids);
  const { busy, problem, act } = useFreshSubmit();
  useEffect(() => {
    void act(async () => {
      setResources((await api<{ items: Named[] }>('GET', '/api/v1/resources')).items);
      setOfferings((await api<{ items: Named[] }>('GET', '/api/v1/offerings')).items);
    });
  }, []);
  const save = (body: { resource_ids: number[]; offering_ids: number[] }) =>
    act(async () => {
      const s = await api<StaffScope>('PUT', `/api/v1/staff/${props.id}/scope`, { body });
      props.onDone(s.limited ? t('scope.saved', { name: props.name }) : t('scope.lifted', { name: props.name }));
    });

  return (
    <form
      class="card filters"
      noValidate
      aria-labelledby="scope-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save({ resource_ids: resourceIds, offering_ids: offeringIds });
      }}
    >
      <h2 id="scope-title" class="span">
        {t('scope.title', { name: props.name })}
      </h2>
      <p class="muted span">{t('scope.hint')}</p>
      {!resources || !offerings ? (
        <Loading />
      ) : (
        <>
          <Choices legend={t('admin.resources')} kind="resource" items={resources} chosen={resourceIds} onChange={setResourceIds} />
          <Choices legend={t('admin.offerings')} kind="offering" items={offerings} chosen={offeringIds} onChange={setOfferingIds} />
        </>
      )}
      {problem ? (
        <p class="alert span" role="alert">
          {problem}
        </p>
      ) : null}
      <div class="group span">
        <button type="submit" class="primary" disabled={busy}>
          {t('scope.save')}
        </button>
        <button type="button" disabled={busy} onClick={() => void save({ resource_ids: [], offering_ids: [] })}>
          {t('scope.lift')}
        </button>
        <button type="button" disabled={busy} onClick={() => props.onDone(null)}>
          {t('scope.cancel')}
        </button>
      </div>
    </form>
  );
}

/** "All" or "2 resources, 1 offering": what the staff list shows of a scope. */
export function scopeSummary(scope: StaffScope | undefined, t: Translate) {
  if (!scope || !scope.limited) return t('scope.all');
  return t('scope.some', { r: scope.resource_ids.length, o: scope.offering_ids.length });
}
