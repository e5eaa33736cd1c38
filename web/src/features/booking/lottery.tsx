// Lotteries (抽選) on the booking site: applying with ranked dates while applications are open,
// and a page where an applicant reads their result.
import { useState } from 'preact/hooks';
import { FormProblem, TextField } from '../../components/field';
import { ApplicantFields, sendApplication, useApplicant } from './applicant';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api, enc } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';
import type { WhoAmI } from '../../lib/session';
import type { LotteryEntry, Offering, PublicOfferings } from '../../lib/types';

/** Whether the offering is still drawn by lottery (direct booking not yet open). */
export function lotteryOpen(o: Offering): boolean {
  const l = o.lottery;
  if (!l) return false;
  return !l.first_come_at || Date.now() < Date.parse(l.first_come_at);
}

export function LotteryApply(props: { site: PublicOfferings; offering: Offering; base: string; customer: WhoAmI | null }) {
  const { t, locale } = useI18n();
  const { site, offering: o } = props;
  const zone = site.tenant.time_zone;
  const dates = (o.occurrences ?? []).filter((x) => Date.parse(x.starts_at) > Date.now());
  const [ranks, setRanks] = useState<string[]>(['', '', '']);
  const [who, setWho] = useApplicant(props.customer);
  const [applied, setApplied] = useState<LotteryEntry | null>(null);
  const { busy, problem, field, run } = useSubmit();
  const l = o.lottery;
  if (!l) return null;
  const closed = Date.now() >= Date.parse(l.applications_close_at);

  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const what = { offering_id: o.id, preferences: ranks.filter(Boolean).map(Number) };
      setApplied(await sendApplication<LotteryEntry>(site.tenant.code, 'lottery', what, who, locale, props.customer !== null));
    });
  };

  return (
    <section aria-labelledby="lottery-title" class="card">
      <h2 id="lottery-title">{t('lottery.title')}</h2>
      <p>
        {t('lottery.intro', {
          close: formatInstant(l.applications_close_at, zone, locale),
          draw: formatInstant(l.draw_at, zone, locale),
        })}
      </p>
      {applied ? (
        <div role="status">
          <p>{applied.confirmed ? t('lottery.applied') : t('lottery.check_mail')}</p>
          <p class="reference">{applied.reference}</p>
          <p>
            <a href={`${props.base}/lottery?ref=${enc(applied.reference)}`}>{t('lottery.check')}</a>
          </p>
        </div>
      ) : closed ? (
        <p>{t('lottery.closed')}</p>
      ) : (
        <form class="stack" noValidate onSubmit={submit}>
          {ranks.map((r, i) => (
            <div class="field" key={i}>
              <label for={`rank-${i}`}>{t('lottery.rank', { n: i + 1 })}</label>
              <select
                id={`rank-${i}`}
                value={r}
                aria-invalid={field === `preferences[${i}]` ? true : undefined}
                onChange={(e) => setRanks(ranks.map((x, j) => (j === i ? e.currentTarget.value : x)))}
              >
                <option value="">—</option>
                {dates.map((x) => (
                  <option key={x.id} value={x.id}>
                    {formatInstant(x.starts_at, zone, locale)}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <ApplicantFields
            prefix="lot"
            offering={o}
            member={props.customer !== null}
            value={who}
            onChange={setWho}
            field={field}
            problem={problem}
          />
          <button type="submit" class="primary" disabled={busy}>
            {t('lottery.apply')}
          </button>
        </form>
      )}
    </section>
  );
}

export function LotteryPage(props: { site: PublicOfferings }) {
  const { t } = useI18n();
  const [reference, setReference] = useState(new URLSearchParams(location.search).get('ref') ?? '');
  const [email, setEmail] = useState('');
  const [entry, setEntry] = useState<LotteryEntry | null>(null);
  const { busy, problem, field, run } = useSubmit();
  const offering = entry ? props.site.items.find((o) => o.id === entry.offering_id) : undefined;
  return (
    <>
      <h1>{t('lottery.check')}</h1>
      <form
        class="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            setEntry(
              await api<LotteryEntry>(
                'POST',
                `/api/v1/public/${enc(props.site.tenant.code)}/lottery/${enc(reference.trim().toUpperCase())}/lookup`,
                { body: { email } },
              ),
            );
          });
        }}
      >
        <TextField id="lot-reference" name="reference" label={t('lottery.reference')} value={reference} onInput={setReference} />
        <TextField id="lot-lookup-email" name="email" label={t('manage.email')} type="email" autoComplete="email" value={email} onInput={setEmail} error={{ field, problem }} />
        <button type="submit" disabled={busy}>
          {t('manage.find')}
        </button>
      </form>
      <FormProblem error={{ field, problem }} fields={['email']} />
      {entry ? (
        <section class="card" aria-labelledby="lottery-entry">
          <h2 id="lottery-entry">{entry.reference}</h2>
          {offering ? <p>{offering.name}</p> : null}
          <p role="status">{entry.status === 'applied' && !entry.confirmed ? t('lottery.unconfirmed') : t(`lottery.status.${entry.status}`)}</p>
          {entry.booking_reference ? <p>{t('waitlist.booking', { reference: entry.booking_reference })}</p> : null}
        </section>
      ) : null}
    </>
  );
}
