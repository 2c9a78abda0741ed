-- Inbox consumer ids follow one rule, <privacy.service.name>/<topic> (EventInbox): the events processed under the
-- old names stay deduplicated.
UPDATE inbox_event SET consumer = 'consent-service/privacy.rights-request.v1'
 WHERE consumer = 'consent-service.rights-requests';
UPDATE inbox_event SET consumer = 'consent-service/privacy.command.v1' WHERE consumer = 'store-consent-service';
