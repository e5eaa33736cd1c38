// Moving in from another system (/admin/import, managers): a CSV file of one kind is checked
// first (every bad row named with its line and column), then imported whole; each kind's
// template downloads with an example row.
import { useState } from 'preact/hooks';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { api, ApiError } from '../../lib/api';
import type { ImportKind as Kind, ImportReport as Report } from '../../lib/types';

const kinds: Kind[] = ['resources', 'offerings', 'occurrences', 'customers', 'bookings'];

export function DataImport() {
  const { t } = useI18n();
  const [kind, setKind] = useState<Kind>('resources');
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);

  const send = async (apply: boolean) => {
    if (!file) return;
    setBusy(true);
    setFailure('');
    try {
      // The charset is told from the bytes (UTF-8, or the Shift_JIS of Japanese spreadsheets).
      const r = await api<Report>('POST', `/api/v1/imports/${kind}${apply ? '?apply=true' : ''}`, {
        file: { type: 'text/csv', data: file },
      });
      setReport(r);
    } catch (e) {
      const refused = e instanceof ApiError ? (e.data as Report | null) : null;
      if (refused?.problems) setReport(refused);
      else {
        setReport(null);
        setFailure(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  };
  const checkedClean = report !== null && !report.applied && report.problems.length === 0;

  return (
    <section class="card stack" aria-labelledby="import-title">
      <h1 id="import-title">{t('import.title')}</h1>
      <p>{t('import.intro')}</p>
      <p>{t('import.order')}</p>
      <div class="field">
        <label for="import-kind">{t('import.kind')}</label>
        <select
          id="import-kind"
          value={kind}
          onChange={(e) => {
            setKind(e.currentTarget.value as Kind);
            setReport(null);
          }}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`import.kind.${k}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <p>
        <a href={`/api/v1/imports/${kind}/template`} download>
          {t('import.template')}
        </a>
      </p>
      <div class="field">
        <label for="import-file">{t('import.file')}</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            setFile(e.currentTarget.files?.[0] ?? null);
            setReport(null);
          }}
        />
      </div>
      <div class="group">
        <button type="button" disabled={busy || !file} onClick={() => void send(false)}>
          {t('import.check')}
        </button>
        <button type="button" class="primary" disabled={busy || !checkedClean} onClick={() => void send(true)}>
          {t('import.apply')}
        </button>
      </div>
      {failure ? (
        <p class="alert" role="alert">
          {failure}
        </p>
      ) : null}
      {report ? <ImportReport report={report} /> : null}
    </section>
  );
}

function ImportReport({ report }: { report: Report }) {
  const { t } = useI18n();
  if (report.applied)
    return (
      <p role="status" data-testid="import-status">
        {t('import.done', { stored: report.stored })}
      </p>
    );
  return (
    <div class="stack">
      <p role="status" data-testid="import-status">
        {t('import.checked', { rows: report.rows, stored: report.stored, encoding: report.encoding })}{' '}
        {report.problems.length > 0 ? t('import.problems', { count: report.problems.length }) : t('import.ready')}
      </p>
      {report.problems.length > 0 ? (
        <table class="list" data-testid="import-problems">
          <thead>
            <tr>
              <th scope="col">{t('import.line')}</th>
              <th scope="col">{t('import.field')}</th>
              <th scope="col">{t('import.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {report.problems.map((p) => (
              <tr key={`${p.line}-${p.field}`}>
                <td>{p.line}</td>
                <td>{p.field}</td>
                <td>{p.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
