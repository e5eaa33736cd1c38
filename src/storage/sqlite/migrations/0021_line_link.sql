-- A customer's LINE user id for LINE Messaging API pushes (issue 7, SPEC "Notifications"),
-- sealed under the tenant's key; NULL: not linked. The tenant's channel access token lives in
-- tenant_settings (key line.channel_token), sealed too.
ALTER TABLE accounts ADD COLUMN line_user_sealed BLOB;
