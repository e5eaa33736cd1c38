// /t/{code}/confirm?what=waitlist|lottery&ref=REF#key=KEY: the link mailed to a guest who joined
// a waitlist or applied to a lottery. Opening it confirms the address, so the entry takes its
// place in line (or in the draw). The key stays in the fragment, out of server logs.
import { useEffect, useState } from 'preact/hooks';
import { Alert, Loading } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, enc } from '../../lib/api';
import type { LotteryEntry, PublicOfferings, WaitlistEntry } from '../../lib/types';

export function ConfirmEntry(props: { site: PublicOfferings; base: string }) {
  const { t } = useI18n();
  const query = new URLSearchParams(location.search);
  const what = query.get('what') === 'lottery' ? 'lottery' : 'waitlist';
  const reference = query.get('ref') ?? '';
  const key = new URLSearchParams(location.hash.slice(1)).get('key') ?? '';
  const [done, setDone] = useState<WaitlistEntry | LotteryEntry | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!reference || !key) {
      setFailed(true);
      return;
    }
    const path = `/api/v1/public/${enc(props.site.tenant.code)}/${what}/${enc(reference)}/confirm`;
    api<WaitlistEntry | LotteryEntry>('POST', path, { body: { key } }).then(setDone, () => setFailed(true));
  }, []);
  const offering = done ? props.site.items.find((o) => o.id === done.offering_id) : undefined;
  let message = '';
  if (done && what === 'lottery') message = t('confirm.lottery_done');
  else if (done) {
    const w = done as WaitlistEntry;
    message = w.status === 'offered' ? t('confirm.waitlist_offered') : t('confirm.waitlist_done', { position: w.position ?? 1 });
  }
  return (
    <>
      <h1>{t('confirm.title')}</h1>
      {failed ? (
        <Alert>{t('confirm.bad_link')}</Alert>
      ) : !done ? (
        <Loading />
      ) : (
        <section class="card" aria-labelledby="confirmed-entry">
          <h2 id="confirmed-entry">{done.reference}</h2>
          {offering ? <p>{offering.name}</p> : null}
          <p role="status">{message}</p>
          <p>
            <a href={`${props.base}/${what}?ref=${enc(done.reference)}`}>{t(what === 'lottery' ? 'lottery.check' : 'waitlist.check')}</a>
          </p>
        </section>
      )}
    </>
  );
}
