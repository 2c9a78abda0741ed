-- What the test store's handler did, one row per run: no unique constraint, so a second effect shows.
CREATE TABLE store_effect (
    command_id   VARCHAR(100) NOT NULL,
    kind         VARCHAR(30)  NOT NULL,
    done_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
