-- The certificate signing key now comes from a mounted secret (retention.certificate.keys-dir), never from this
-- database: whoever can write the database must not be able to sign. The key once generated into this table is
-- dropped with it. Certificates it signed carry no keyId; to keep them verifiable, export its public half before
-- upgrading and publish it as a retired key (retention-service README, "Certificate keys"): the private half must
-- not survive anywhere.
DROP TABLE IF EXISTS signing_key;
