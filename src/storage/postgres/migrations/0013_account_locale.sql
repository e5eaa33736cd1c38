-- An account's own language for the mail it gets (sign-up confirmation, password reset,
-- security alerts); NULL: the tenant's.
ALTER TABLE accounts ADD COLUMN locale TEXT CHECK (locale IN ('ja', 'en'));
