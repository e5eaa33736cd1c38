// The booking just made, kept in this tab so the confirmation page can show it after a reload.
import type { Booking } from '../../lib/types';

export interface Made {
  booking: Booking;
  offering: string;
  email: string;
}

const key = (reference: string) => `yoyaku.booking.${reference}`;

export function remember(made: Made): void {
  try {
    sessionStorage.setItem(key(made.booking.reference), JSON.stringify(made));
  } catch {
    // Without storage the confirmation page asks for the email instead.
  }
}

export function recall(reference: string): Made | null {
  try {
    const v = sessionStorage.getItem(key(reference));
    return v ? (JSON.parse(v) as Made) : null;
  } catch {
    return null;
  }
}
