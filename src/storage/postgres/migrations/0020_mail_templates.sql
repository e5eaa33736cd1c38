-- A tenant's own wording of a mail (issue 7, SPEC "Notifications"): the whole template text of
-- one message in one language, first line "Subject: …"; without a row the built-in one is used.
CREATE TABLE mail_templates (
    tenant_id  bigint NOT NULL CHECK (tenant_id > 0),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    locale     text NOT NULL CHECK (locale IN ('ja', 'en')),
    body       text NOT NULL CHECK (length(body) BETWEEN 10 AND 40000),
    updated_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, name, locale)
);
ALTER TABLE mail_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON mail_templates
    USING (tenant_id = coalesce(NULLIF(current_setting('app.tenant_id', true), '')::bigint, 0))
    WITH CHECK (tenant_id = coalesce(NULLIF(current_setting('app.tenant_id', true), '')::bigint, 0));
