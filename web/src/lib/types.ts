// The API's shapes as the screens use them: named views of the schemas in api.gen.ts, which
// `npm run api-types` generates from docs/api/openapi.yaml (a test fails when it is stale).
import type { components } from './api.gen';

type Schemas = components['schemas'];

export type OfferingKind = Schemas['OfferingInput']['kind'];
export type BookingStatus = Schemas['BookingStatus'];
export type TicketType = Schemas['TicketType'];
export type Question = Schemas['Question'];
export type Occurrence = Schemas['Occurrence'];
export type Offering = Schemas['Offering'];
export type LotteryEntry = Schemas['LotteryEntry'];
/** Cancelling within `within_minutes` of the start costs `percent` of the total. */
export type FeeTier = NonNullable<Schemas['OfferingInput']['cancellation_fees']>[number];
export type CustomerLimits = NonNullable<Schemas['OfferingInput']['limits']>;
export type WaitlistMode = NonNullable<Schemas['OfferingInput']['waitlist']>;
export type FeeQuote = Schemas['FeeQuote'];
export type WaitlistEntry = Schemas['WaitlistEntry'];
export type PublicTenant = Schemas['PublicTenant'];
export type PublicOfferings = Schemas['PublicOfferings'];
export type Slot = Schemas['Slot'];
export type FeeLine = Schemas['FeeLine'];
export type PriceQuote = Schemas['PriceQuote'];
export type EquipmentChoice = Schemas['EquipmentChoice'];
export type Availability = Schemas['Availability'];
/** A booking; a cancellation's answer also carries the quote it was charged under. */
export type Booking = Schemas['QuotedBooking'];
export type Checkout = Schemas['Checkout'];
export type PaymentAccount = Schemas['PaymentAccount'];
export type SalesReport = Schemas['SalesReport'];
export type InvoiceSettings = Schemas['InvoiceSettings'];
export type DocumentSettings = Schemas['DocumentSettings'];
export type OccupancyReport = Schemas['OccupancyReport'];
export type Group = Schemas['Group'];
export type RoomLottery = Schemas['RoomLotteryWithDraw'];
export type RoomLotteryEntry = Schemas['RoomLotteryEntry'];
export type RoomLotterySummary = Schemas['RoomLottery'];
export type Reconciliation = Schemas['Reconciliation'];
export type Payment = NonNullable<Schemas['OfferingInput']['payment']>;
export type SeatLayout = Schemas['SeatLayout'];
/** A LINE segment message as sent to the API, and as it stands with its delivery counts. */
export type BroadcastInput = Schemas['BroadcastInput'];
export type BroadcastSegment = Schemas['BroadcastSegment'];
export type Broadcast = Schemas['Broadcast'];
export type ImportKind = Schemas['ImportKind'];
export type ImportReport = Schemas['ImportReport'];
