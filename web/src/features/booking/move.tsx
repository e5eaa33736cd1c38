// Moving a booking to another time (a customer from their page, a guest with the booking's
// email): the free slots of its offering, then one call that takes the new places before it
// gives the old ones back; a refusal leaves the booking as it was.
import { useState } from 'preact/hooks';
import { Alert } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api, enc } from '../../lib/api';
import { localDay } from '../../lib/datetime';
import type { Booking, Offering, PublicOfferings, Slot } from '../../lib/types';
import { SlotPicker } from './slots';

export function MoveBooking(props: {
  site: PublicOfferings;
  booking: Booking;
  offering: Offering;
  /** The booking's address, for a guest (a signed-in customer's session proves it instead). */
  email?: string;
  /** Or the key of the link in the booking's mails. */
  linkKey?: string;
  onMoved: (b: Booking) => void;
  onKeep: () => void;
}) {
  const { t } = useI18n();
  const { site, booking: b } = props;
  const zone = site.tenant.time_zone;
  const [slot, setSlot] = useState<Slot | null>(null);
  const { busy, problem, run } = useSubmit();
  const to = (s: Slot) => (s.occurrence_id !== undefined ? { occurrence_id: s.occurrence_id } : { starts_at: s.starts_at });
  return (
    <div class="confirm">
      <p class="chosen">{t('me.change_title', { reference: b.reference })}</p>
      <SlotPicker
        tenant={site.tenant.code}
        zone={zone}
        offeringId={props.offering.id}
        firstDay={localDay(b.starts_at, zone)}
        chosen={slot}
        onChoose={setSlot}
      />
      {problem ? <Alert>{problem}</Alert> : null}
      <div class="group">
        <button
          type="button"
          class="primary"
          disabled={!slot || busy}
          onClick={() =>
            slot &&
            void run(async () => {
              const proof = props.linkKey ? { key: props.linkKey } : props.email === undefined ? {} : { email: props.email };
              const body = { ...to(slot), ...proof };
              props.onMoved(
                await api<Booking>(
                  'POST',
                  `/api/v1/public/${enc(site.tenant.code)}/bookings/${enc(b.reference)}/reschedule`,
                  { body },
                ),
              );
            })
          }
        >
          {t('me.change_submit')}
        </button>
        <button type="button" onClick={props.onKeep}>
          {t('me.keep')}
        </button>
      </div>
    </div>
  );
}
