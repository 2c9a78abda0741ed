-- Inbox consumer ids follow one rule, <privacy.service.name>/<topic> (EventInbox): the events processed under the
-- old names stay deduplicated.
UPDATE inbox_event SET consumer = 'request-service/privacy.request.progress.v1'
 WHERE consumer = 'request-service-progress';
UPDATE inbox_event SET consumer = 'request-service/privacy.command.ack.v1' WHERE consumer = 'request-service-acks';
