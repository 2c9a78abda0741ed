-- Inbox consumer ids follow one rule, <privacy.service.name>/<topic> (EventInbox): the events processed under the
-- old names stay deduplicated.
UPDATE inbox_event SET consumer = 'retention-service/privacy.rights-request.v1' WHERE consumer = 'rights-requests';
UPDATE inbox_event SET consumer = 'retention-service/privacy.command.ack.v1' WHERE consumer = 'command-acks';
