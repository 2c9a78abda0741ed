-- Inbox consumer ids follow one rule, <privacy.service.name>/<topic> (EventInbox): the events processed under the
-- old name stay deduplicated. (Commands had no inbox rows: the subscriber kit kept its place by offsets.)
UPDATE inbox_event SET consumer = 'mail-log-store/privacy.tenant.settings.v1' WHERE consumer = 'mail-log-store';
