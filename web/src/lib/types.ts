// The API's shapes as the screens use them (docs/api/openapi.yaml is the reference).
import type { Locale } from './datetime';

export type OfferingKind = 'appointment' | 'rental' | 'event' | 'course';
export type BookingStatus =
  | 'held'
  | 'pending'
  | 'confirmed'
  | 'cancelled'
  | 'rejected'
  | 'expired'
  | 'checked_in'
  | 'no_show';

export interface TicketType {
  code: string;
  name: string;
  price_jpy: number;
  max_per_order?: number;
}

export interface Question {
  id: string;
  label: string;
  type: 'text' | 'choice' | 'checkbox';
  required?: boolean;
  options?: string[];
}

export interface Occurrence {
  id: number;
  starts_at: string;
  ends_at: string;
  capacity: number;
  seats_left: number;
}

export interface Offering {
  id: number;
  kind: OfferingKind;
  name: string;
  description?: string;
  max_per_order?: number;
  ticket_types?: TicketType[];
  duration_minutes?: number;
  min_blocks?: number;
  max_blocks?: number;
  price_jpy?: number;
  requires_approval?: boolean;
  resource_ids?: number[];
  questions?: Question[];
  occurrences?: Occurrence[];
  cancellation_fees?: FeeTier[];
  limits?: CustomerLimits;
  waitlist?: WaitlistMode;
  waitlist_offer_minutes?: number;
  pay_by_minutes?: number;
  lottery?: { applications_close_at: string; draw_at: string; first_come_at: string | null } | null;
}

export interface LotteryEntry {
  reference: string;
  offering_id: number;
  preferences: number[];
  status: 'applied' | 'won' | 'lost' | 'withdrawn';
  seats: number;
  total_jpy: number;
  booking_reference: string | null;
  /** A guest's application takes part in the draw once the mailed link confirmed its address. */
  confirmed: boolean;
}

/** Cancelling within `within_minutes` of the start costs `percent` of the total. */
export interface FeeTier {
  within_minutes: number;
  percent: number;
}

export interface CustomerLimits {
  per_day: number;
  per_week: number;
  per_month: number;
  active: number;
  by_resource?: boolean;
}

export type WaitlistMode = 'off' | 'offer' | 'automatic';

export interface FeeQuote {
  percent: number;
  fee_jpy: number;
  changes_at: string | null;
}

export interface WaitlistEntry {
  reference: string;
  offering_id: number;
  occurrence_id: number;
  status: 'waiting' | 'offered' | 'booked' | 'expired' | 'left';
  position: number | null;
  seats: number;
  total_jpy: number;
  booking_reference: string | null;
  offer_expires_at: string | null;
  /** A guest's entry has a place in line once the mailed link confirmed its address. */
  confirmed: boolean;
  customer?: { name?: string; email?: string };
}

export interface PublicTenant {
  code: string;
  name: string;
  time_zone: string;
  locale: Locale;
}

export interface PublicOfferings {
  tenant: PublicTenant;
  items: Offering[];
}

export interface Slot {
  starts_at: string;
  ends_at: string;
  remaining: number;
  occurrence_id?: number;
  resource_ids?: number[];
}

export interface Availability {
  offering_id: number;
  time_zone: string;
  from: string;
  to: string;
  slots: Slot[];
}

export interface Booking {
  reference: string;
  offering_id: number;
  occurrence_id: number | null;
  status: BookingStatus;
  starts_at: string;
  ends_at: string;
  seats: number;
  total_jpy: number;
  tickets?: Record<string, number>;
  customer?: { name?: string; email?: string; phone?: string };
  cancellation_fee_jpy?: number | null;
  cancellation_quote?: FeeQuote;
  paid_at?: string | null;
  /** A repeating request's answer: every booking made, and the dates skipped with why. */
  series?: Booking[];
  skipped?: { starts_at: string; field: string; reason: string }[];
}
