-- A booking's permit (使用許可書) and invoice (請求書) (issue 27, ADR 0023): numbered without
-- gaps per tenant and kind from a counter taken in the issuing transaction; what a document
-- says is kept as issued, with the basis (place, times, lines, total) whose change issues it
-- again under a new number. A tenant's wording and seal image (PNG) for them.
CREATE TABLE document_settings (
    tenant_id    INTEGER PRIMARY KEY CHECK (tenant_id > 0),
    permit_text  TEXT NOT NULL DEFAULT '' CHECK (length(permit_text) <= 8000),
    invoice_text TEXT NOT NULL DEFAULT '' CHECK (length(invoice_text) <= 8000),
    seal_png     BLOB CHECK (seal_png IS NULL OR length(seal_png) <= 262144),
    updated_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE document_numbers (
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('permit', 'invoice')),
    last_number INTEGER NOT NULL CHECK (last_number > 0),
    PRIMARY KEY (tenant_id, kind)
) STRICT;

CREATE TABLE booking_documents (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL CHECK (tenant_id > 0),
    kind       TEXT NOT NULL CHECK (kind IN ('permit', 'invoice')),
    number     INTEGER NOT NULL CHECK (number > 0),
    booking_id INTEGER NOT NULL REFERENCES bookings(id),
    issued_at  INTEGER NOT NULL,
    basis      TEXT NOT NULL,
    content    TEXT NOT NULL,
    UNIQUE (tenant_id, kind, number)
) STRICT;
CREATE INDEX booking_documents_booking ON booking_documents(tenant_id, booking_id, kind, number);
