-- Online meetings (issue 28): an appointment, event or course may take place online, at a
-- fixed meeting link (https) that every live booking of it shows — in its mails, LINE card,
-- iCalendar event (LOCATION and URL) and the customer's page. Empty: in person.
ALTER TABLE offerings ADD COLUMN online_url TEXT NOT NULL DEFAULT ''
    CHECK (length(online_url) <= 500);
