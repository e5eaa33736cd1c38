// Setup: user classes (利用者区分) — a price factor and an own booking window per class of
// customer — and which class each customer account belongs to.
import { useEffect, useState } from 'preact/hooks';
import { FormProblem, TextField } from '../../components/field';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';

interface UserClass {
  id: number;
  name: string;
  price_percent: number;
  opens_before_minutes: number | null;
}

interface Customer {
  id: number;
  name: string;
  email: string;
  user_class_id: number | null;
  tags: string[];
}

export function UserClasses() {
  const { t } = useI18n();
  const [classes, setClasses] = useState<UserClass[] | null>(null);
  const [customers, setCustomers] = useState<Customer[]>([]);
  const [name, setName] = useState('');
  const [percent, setPercent] = useState('100');
  const [days, setDays] = useState('');
  const list = useSubmit();
  const form = useSubmit();
  const load = async () => {
    setClasses((await api<{ items: UserClass[] }>('GET', '/api/v1/user-classes')).items);
    setCustomers((await api<{ items: Customer[] }>('GET', '/api/v1/customers')).items);
  };
  useEffect(() => {
    void list.run(load);
  }, []);
  return (
    <>
      <h1>{t('classes.title')}</h1>
      <p class="muted">{t('classes.intro')}</p>
      {list.problem ? <Alert>{list.problem}</Alert> : null}
      <form
        class="card filters"
        noValidate
        aria-labelledby="class-form"
        onSubmit={(e) => {
          e.preventDefault();
          void form.run(async () => {
            await api('POST', '/api/v1/user-classes', {
              body: {
                name,
                price_percent: Number(percent),
                opens_before_minutes: days.trim() === '' ? null : Math.round(Number(days) * 1440),
              },
            });
            setName('');
            await load();
          });
        }}
      >
        <h2 id="class-form" class="span">
          {t('classes.new')}
        </h2>
        <TextField id="class-name" name="name" label={t('op.name')} value={name} onInput={setName} error={form} />
        <TextField
          id="class-percent"
          name="price_percent"
          label={t('classes.percent')}
          type="number"
          inputMode="numeric"
          value={percent}
          onInput={setPercent}
          error={form}
        />
        <TextField
          id="class-days"
          name="opens_before_minutes"
          label={t('classes.opens_days')}
          type="number"
          inputMode="numeric"
          value={days}
          onInput={setDays}
          error={form}
        />
        <FormProblem error={form} fields={['name', 'price_percent', 'opens_before_minutes']} />
        <div class="group span">
          <button type="submit" class="primary" disabled={form.busy}>
            {t('classes.add')}
          </button>
        </div>
      </form>
      {!classes ? (
        <Loading />
      ) : (
        <table class="list">
          <caption>{t('classes.list', { n: classes.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('op.name')}</th>
              <th scope="col">{t('classes.percent')}</th>
              <th scope="col">{t('classes.opens_days')}</th>
              <th scope="col">{t('op.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {classes.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.price_percent}%</td>
                <td>{c.opens_before_minutes === null ? t('classes.offering_window') : Math.round(c.opens_before_minutes / 1440)}</td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      void list.run(async () => {
                        await api('DELETE', `/api/v1/user-classes/${c.id}`);
                        await load();
                      })
                    }
                  >
                    {t('classes.delete', { name: c.name })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('classes.customers')}</h2>
      <table class="list">
        <caption>{t('classes.customer_list', { n: customers.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('op.name')}</th>
            <th scope="col">{t('details.email')}</th>
            <th scope="col">{t('classes.title')}</th>
            <th scope="col">{t('classes.tags')}</th>
          </tr>
        </thead>
        <tbody>
          {customers.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{c.email}</td>
              <td>
                <label class="sr-only" for={`class-of-${c.id}`}>
                  {t('classes.of', { name: c.name || c.email })}
                </label>
                <select
                  id={`class-of-${c.id}`}
                  value={c.user_class_id ?? ''}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    void list.run(async () => {
                      await api('PUT', `/api/v1/customers/${c.id}/user-class`, {
                        body: { user_class_id: v === '' ? null : Number(v) },
                      });
                      await load();
                    });
                  }}
                >
                  <option value="">{t('classes.none')}</option>
                  {(classes ?? []).map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.name}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <label class="sr-only" for={`tags-of-${c.id}`}>
                  {t('classes.tags_of', { name: c.name || c.email })}
                </label>
                <input
                  id={`tags-of-${c.id}`}
                  defaultValue={c.tags.join(', ')}
                  placeholder="VIP, 常連"
                  onChange={(e) => {
                    const tags = e.currentTarget.value
                      .split(/[,、]/)
                      .map((x) => x.trim())
                      .filter((x) => x !== '');
                    void list.run(async () => {
                      await api('PUT', `/api/v1/customers/${c.id}/tags`, { body: { tags } });
                      await load();
                    });
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
