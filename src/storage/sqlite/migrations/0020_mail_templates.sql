-- A tenant's own wording of a mail (issue 7, SPEC "Notifications"): the whole template text of
-- one message in one language, first line "Subject: …"; without a row the built-in one is used.
CREATE TABLE mail_templates (
    tenant_id  INTEGER NOT NULL CHECK (tenant_id > 0),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    locale     TEXT NOT NULL CHECK (locale IN ('ja', 'en')),
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 10 AND 40000),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, name, locale)
) STRICT, WITHOUT ROWID;
