// The tickets, name and address of someone who joins a waitlist or applies to a lottery, with
// the API's field errors beside their inputs (a member's address is their account's).
import { useState } from 'preact/hooks';
import { FormProblem, TextField } from '../../components/field';
import { useI18n } from '../../i18n/i18n';
import { api, enc } from '../../lib/api';
import type { Locale } from '../../lib/datetime';
import { solveChallenge } from '../../lib/pow';
import type { WhoAmI } from '../../lib/session';
import type { Offering } from '../../lib/types';

export interface Applicant {
  tickets: Record<string, number>;
  name: string;
  email: string;
}

export function useApplicant(customer: WhoAmI | null) {
  return useState<Applicant>({ tickets: {}, name: customer?.account.name ?? '', email: customer?.account.email ?? '' });
}

/** Posts an application (`what` it is for, and who) to the tenant's public `route`; a guest's
 * carries a solved proof-of-work challenge. */
export async function sendApplication<T>(
  tenant: string,
  route: 'waitlist' | 'lottery',
  what: Record<string, unknown>,
  who: Applicant,
  locale: Locale,
  member: boolean,
): Promise<T> {
  const body: Record<string, unknown> = {
    ...what,
    tickets: who.tickets,
    customer: { name: who.name, email: who.email, locale },
  };
  if (!member) body.altcha = await solveChallenge();
  return api<T>('POST', `/api/v1/public/${enc(tenant)}/${route}`, { body });
}

export function ApplicantFields(props: {
  prefix: string;
  offering: Offering;
  member: boolean;
  value: Applicant;
  onChange: (a: Applicant) => void;
  field: string | null;
  problem: string | null;
}) {
  const { t, locale } = useI18n();
  const { value: a, onChange, field, problem } = props;
  const types = props.offering.ticket_types ?? [];
  return (
    <>
      {types.map((tt) => (
        <TextField
          key={tt.code}
          id={`${props.prefix}-ticket-${tt.code}`}
          name={`tickets.${tt.code}`}
          label={`${tt.name} (${t('tickets.price', { price: tt.price_jpy.toLocaleString(locale) })})`}
          type="number"
          inputMode="numeric"
          value={String(a.tickets[tt.code] ?? 0)}
          onInput={(v) => onChange({ ...a, tickets: { ...a.tickets, [tt.code]: Math.max(0, Number(v) || 0) } })}
          error={{ field, problem }}
        />
      ))}
      <TextField
        id={`${props.prefix}-name`}
        name="customer.name"
        label={t('details.name')}
        autoComplete="name"
        value={a.name}
        onInput={(name) => onChange({ ...a, name })}
        error={{ field, problem }}
      />
      {props.member ? null : (
        <TextField
          id={`${props.prefix}-email`}
          name="customer.email"
          label={t('details.email')}
          type="email"
          autoComplete="email"
          value={a.email}
          onInput={(email) => onChange({ ...a, email })}
          error={{ field, problem }}
        />
      )}
      <FormProblem
        error={{ field, problem }}
        fields={['customer.name', 'customer.email', ...types.map((tt) => `tickets.${tt.code}`)]}
      />
    </>
  );
}
