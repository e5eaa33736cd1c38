// The tenant admin console (/admin): sign-in with the authenticator, then the bookings calendar,
// the bookings list and the kiosk and integration tokens. Loaded on demand, so the public
// booking page does not carry it.
import { Console } from '../../components/console';
import { BookingList } from './bookings';
import { BookingCalendar } from './calendar';
import { Tokens } from './tokens';

const sections = [
  { path: '/admin', label: 'admin.calendar' },
  { path: '/admin/bookings', label: 'list.title' },
  { path: '/admin/tokens', label: 'tokens.title' },
] as const;

export default function Admin() {
  return (
    <Console
      title="admin.title"
      home="/admin"
      sections={sections}
      // A customer's or an operator's session (same origin) does not open the console.
      admits={(who) => who.tenant !== undefined && who.account.role !== 'customer'}
    >
      {(who, path) => {
        const zone = who.tenant?.time_zone ?? 'Asia/Tokyo';
        if (path === '/admin/tokens') return <Tokens zone={zone} />;
        if (path === '/admin/bookings') return <BookingList zone={zone} />;
        return <BookingCalendar zone={zone} />;
      }}
    </Console>
  );
}
