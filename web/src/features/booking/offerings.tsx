import { useI18n } from '../../i18n/i18n';
import { formatInstant } from '../../lib/datetime';
import type { Offering, PublicOfferings } from '../../lib/types';

function firstDate(o: Offering): string | undefined {
  return o.occurrences?.find((x) => x.seats_left > 0)?.starts_at;
}

export function OfferingList(props: { site: PublicOfferings; base: string }) {
  const { t, locale } = useI18n();
  const { site } = props;
  return (
    <>
      <h1>{t('site.offerings')}</h1>
      {site.items.length === 0 ? <p>{t('site.none')}</p> : null}
      <ul class="cards">
        {site.items.map((o) => {
          const next = firstDate(o);
          return (
            <li key={o.id} class="card">
              <p class="tag">
                {t(`kind.${o.kind}`)}
                {o.online ? ` · ${t('done.online')}` : ''}
              </p>
              <h2>
                <a href={`${props.base}/o/${o.id}`}>{o.name}</a>
              </h2>
              {o.description ? <p>{o.description}</p> : null}
              {next ? <p class="muted">{formatInstant(next, site.tenant.time_zone, locale)}</p> : null}
            </li>
          );
        })}
      </ul>
      <p>
        <a href={`${props.base}/manage`}>{t('site.manage')}</a>
      </p>
      <p>
        <a href={`${props.base}/waitlist`}>{t('waitlist.page')}</a>
      </p>
      {site.items.some((o) => o.lottery) ? (
        <p>
          <a href={`${props.base}/lottery`}>{t('lottery.check')}</a>
        </p>
      ) : null}
      <p>
        <a href={`${props.base}/me`}>{t('me.link')}</a>
      </p>
    </>
  );
}
