-- Integration tokens act in their own name (actor role 'integration'), which the audit log's
-- role rule did not admit: every write made with such a token failed.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_role_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_role_check
    CHECK (actor_role IN ('operator', 'manager', 'staff', 'kiosk', 'integration', 'customer', 'system', 'anonymous'));
