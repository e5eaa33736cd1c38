// The tenant's data export (/admin/export, managers): everything as one JSON file, the bookings
// as CSV and as an iCalendar file. It stays available after the contract ends, until the purge.
import { useI18n } from '../../i18n/i18n';

export function DataExport() {
  const { t } = useI18n();
  return (
    <section class="card stack" aria-labelledby="export-title">
      <h1 id="export-title">{t('export.title')}</h1>
      <p>{t('export.intro')}</p>
      <ul>
        <li>
          <a href="/api/v1/export" download>
            {t('export.json')}
          </a>
        </li>
        <li>
          <a href="/api/v1/export/bookings.csv" download>
            {t('export.csv')}
          </a>
        </li>
        <li>
          <a href="/api/v1/export/bookings.ics" download>
            {t('export.ics')}
          </a>
        </li>
        <li>
          <a href="/api/v1/audit-entries.csv" download>
            {t('export.audit')}
          </a>
        </li>
      </ul>
    </section>
  );
}
