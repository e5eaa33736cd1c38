// The customer's registered groups (利用団体) on their page: register one (name, representative,
// contact, members), attach its documents (PDF, PNG, JPEG; sealed on the server), see whether
// staff approved it and until when, and renew it for another year.
import { useEffect, useState } from 'preact/hooks';
import { FormProblem, TextField } from '../../components/field';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';
import type { Group } from '../../lib/types';

/** The file's bytes in base64 (what the API takes). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function MyGroups(props: { zone: string; onChanged?: (groups: Group[]) => void }) {
  const { t } = useI18n();
  const [groups, setGroups] = useState<Group[] | null>(null);
  const { problem, run } = useSubmit();
  const load = () =>
    run(async () => {
      const g = (await api<{ groups: Group[] }>('GET', '/api/v1/me/groups')).groups;
      setGroups(g);
      props.onChanged?.(g);
    });
  useEffect(() => {
    void load();
  }, []);
  if (!groups) return problem ? <Alert>{problem}</Alert> : <Loading />;
  return (
    <section class="card stack" aria-labelledby="groups-title">
      <h2 id="groups-title">{t('groups.title')}</h2>
      <p>{t('groups.intro')}</p>
      {groups.length ? (
        <ul class="cards">
          {groups.map((g) => (
            <li key={g.id}>
              <MyGroup group={g} zone={props.zone} onChanged={() => void load()} />
            </li>
          ))}
        </ul>
      ) : null}
      <RegisterGroup onRegistered={() => void load()} />
    </section>
  );
}

function MyGroup(props: { group: Group; zone: string; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const g = props.group;
  const { busy, problem, run } = useSubmit();
  const [file, setFile] = useState<File | null>(null);
  const path = `/api/v1/me/groups/${g.id}`;
  return (
    <section class="card stack" aria-labelledby={`group-${g.id}`}>
      <h3 id={`group-${g.id}`}>{g.name}</h3>
      <dl class="facts">
        <dt>{t('groups.status')}</dt>
        <dd data-testid="group-status">{t(`groups.status.${g.status}`)}</dd>
        {g.expires_at ? (
          <>
            <dt>{t('groups.expires')}</dt>
            <dd>{formatInstant(g.expires_at, props.zone, locale, 'date')}</dd>
          </>
        ) : null}
        <dt>{t('groups.representative')}</dt>
        <dd>{g.details.representative}</dd>
        <dt>{t('groups.member_count')}</dt>
        <dd>{g.member_count}</dd>
      </dl>
      {g.documents.length ? (
        <ul>
          {g.documents.map((d) => (
            <li key={d.id}>
              <a href={`${path}/documents/${d.id}`} download={d.filename}>
                {d.filename}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      <form
        class="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!file) return;
          void run(async () => {
            await api('POST', `${path}/documents`, {
              body: { filename: file.name, content_type: file.type, data: await base64Of(file) },
            });
            setFile(null);
            props.onChanged();
          });
        }}
      >
        <div class="field">
          <label for={`group-file-${g.id}`}>{t('groups.document')}</label>
          <input
            id={`group-file-${g.id}`}
            type="file"
            accept="application/pdf,image/png,image/jpeg"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
          <p class="hint">{t('groups.document_hint')}</p>
        </div>
        {problem ? <Alert>{problem}</Alert> : null}
        <div class="group">
          <button type="submit" disabled={busy || !file}>
            {t('groups.attach')}
          </button>
          {g.status === 'approved' || g.status === 'expired' || g.status === 'rejected' ? (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await api('POST', `${path}/renewal`, { body: {} });
                  props.onChanged();
                })
              }
            >
              {t('groups.renew')}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}

function RegisterGroup(props: { onRegistered: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [representative, setRepresentative] = useState('');
  const [phone, setPhone] = useState('');
  const [members, setMembers] = useState('');
  const [count, setCount] = useState('');
  const { busy, problem, field, run } = useSubmit();
  return (
    <form
      class="stack"
      noValidate
      aria-labelledby="group-new-title"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const named = members
            .split('\n')
            .map((m) => m.trim())
            .filter((m) => m);
          await api('POST', '/api/v1/me/groups', {
            body: {
              name,
              details: { representative, phone, members: named },
              member_count: Number(count) || named.length || 1,
            },
          });
          setName('');
          setRepresentative('');
          setPhone('');
          setMembers('');
          setCount('');
          props.onRegistered();
        });
      }}
    >
      <h3 id="group-new-title">{t('groups.register')}</h3>
      <TextField id="group-name" name="name" label={t('groups.name')} value={name} onInput={setName} error={{ field, problem }} />
      <TextField
        id="group-representative"
        name="details.representative"
        label={t('groups.representative')}
        autoComplete="name"
        value={representative}
        onInput={setRepresentative}
        error={{ field, problem }}
      />
      <TextField
        id="group-phone"
        name="details.phone"
        label={t('groups.phone')}
        type="tel"
        autoComplete="tel"
        value={phone}
        onInput={setPhone}
        error={{ field, problem }}
      />
      <div class="field">
        <label for="group-members">{t('groups.members')}</label>
        <textarea id="group-members" rows={3} value={members} onInput={(e) => setMembers(e.currentTarget.value)} />
      </div>
      <TextField
        id="group-count"
        name="member_count"
        label={t('groups.member_count')}
        inputMode="numeric"
        value={count}
        onInput={setCount}
        error={{ field, problem }}
      />
      <FormProblem
        error={{ field, problem }}
        fields={['name', 'details.representative', 'details.phone', 'member_count']}
      />
      <button type="submit" disabled={busy}>
        {t('groups.register_submit')}
      </button>
    </form>
  );
}

/** The groups a customer may book or apply as now. */
export function usableGroups(groups: Group[]): Group[] {
  return groups.filter((g) => g.status === 'approved' || (g.status === 'pending' && g.expires_at !== null));
}

