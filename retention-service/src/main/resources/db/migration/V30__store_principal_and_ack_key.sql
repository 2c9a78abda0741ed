-- Who a store is. principal: the name of the store token that registered the system (role store, whose name must be
-- the system id); ack_public_key: the base64 X.509 Ed25519 key the store signs its acks with. An ack that does not
-- verify with its system's key is rejected (docs/events.md), so a system without a key has no ack accepted until
-- its store registers one.
ALTER TABLE data_system
    ADD COLUMN principal text,
    ADD COLUMN ack_public_key text;
