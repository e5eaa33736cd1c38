// The tenant admin console (/admin): sign-in with the authenticator, then the operators' notices
// above every page, the bookings calendar and list, staff and rights, kiosk and integration tokens, the audit log, security settings and
// one's own sessions. Loaded on demand, so the public booking page does not carry it.
import { Console } from '../../components/console';
import { NoticeBanner } from '../../components/notices';
import { BookingList } from './bookings';
import { BookingCalendar } from './calendar';
import { DataExport } from './export';
import { DataImport } from './import';
import { AuditLog } from './audit';
import { UserClasses } from './classes';
import { GroupsAdmin, RoomLotteriesAdmin } from './rental-office';
import { MailWording } from './wording';
import { Integrations } from './integrations';
import { Offerings } from './offerings';
import { OccurrenceSeatChart, SeatMaps } from './seat-maps';
import { Resources } from './resources';
import { Sales } from './sales';
import { Security } from './security';
import { ServiceStatus } from './status';
import { Staff } from './staff';
import { Tokens } from './tokens';
import type { WhoAmI } from '../../lib/session';

const sections = [
  { path: '/admin', label: 'admin.calendar' },
  { path: '/admin/bookings', label: 'list.title' },
  { path: '/admin/offerings', label: 'admin.offerings', roles: ['manager'] },
  { path: '/admin/resources', label: 'admin.resources', roles: ['manager'] },
  { path: '/admin/seat-maps', label: 'admin.seat_maps', roles: ['manager'] },
  { path: '/admin/seating', label: 'admin.seating' },
  { path: '/admin/classes', label: 'classes.title', roles: ['manager'] },
  { path: '/admin/groups', label: 'groups.admin_title' },
  { path: '/admin/room-lotteries', label: 'rl.admin_title', roles: ['manager'] },
  { path: '/admin/staff', label: 'admin.staff', roles: ['manager'] },
  { path: '/admin/tokens', label: 'tokens.title', roles: ['manager'] },
  { path: '/admin/sales', label: 'sales.title', roles: ['manager'] },
  { path: '/admin/integrations', label: 'admin.integrations', roles: ['manager'] },
  { path: '/admin/mail', label: 'wording.title', roles: ['manager'] },
  { path: '/admin/audit', label: 'admin.audit', roles: ['manager'] },
  { path: '/admin/export', label: 'export.title', roles: ['manager'] },
  { path: '/admin/import', label: 'import.title', roles: ['manager'] },
  { path: '/admin/status', label: 'svc.title', roles: ['manager'] },
  { path: '/admin/security', label: 'admin.security' },
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
      {(who, path, signedOut) => {
        const zone = who.tenant?.time_zone ?? 'Asia/Tokyo';
        return (
          <>
            <NoticeBanner zone={zone} />
            {section(zone, path, who, signedOut)}
          </>
        );
      }}
    </Console>
  );
}

function section(zone: string, path: string, who: WhoAmI, signedOut: () => void) {
  if (path === '/admin/tokens') return <Tokens zone={zone} />;
  if (path === '/admin/offerings') return <Offerings zone={zone} />;
  if (path === '/admin/resources') return <Resources zone={zone} />;
  if (path === '/admin/seat-maps') return <SeatMaps />;
  if (path === '/admin/seating') return <OccurrenceSeatChart zone={zone} />;
  if (path === '/admin/classes') return <UserClasses />;
  if (path === '/admin/groups') return <GroupsAdmin zone={zone} />;
  if (path === '/admin/room-lotteries') return <RoomLotteriesAdmin zone={zone} />;
  if (path === '/admin/staff') return <Staff zone={zone} self={who.account.id} />;
  if (path === '/admin/sales') return <Sales zone={zone} />;
  if (path === '/admin/integrations') return <Integrations zone={zone} tenant={who.tenant?.code ?? ''} />;
  if (path === '/admin/mail') return <MailWording />;
  if (path === '/admin/audit') return <AuditLog zone={zone} />;
  if (path === '/admin/export') return <DataExport />;
  if (path === '/admin/import') return <DataImport />;
  if (path === '/admin/status') return <ServiceStatus />;
  if (path === '/admin/security') return <Security zone={zone} onSignedOut={signedOut} />;
  if (path === '/admin/bookings') return <BookingList zone={zone} />;
  return <BookingCalendar zone={zone} />;
}
