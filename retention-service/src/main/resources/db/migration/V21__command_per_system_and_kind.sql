-- A restriction's LIFT_RESTRICTION goes to the same systems as its RESTRICT: one command per system, request and
-- kind; a request's deferred erasures after a hold ended (release_id set) are outside it (V20). After V20, which
-- replaced the same index, so both rules hold.
DROP INDEX IF EXISTS subject_command_request_system;
CREATE UNIQUE INDEX subject_command_request_system ON subject_command (request_id, system_id, kind)
    WHERE request_id IS NOT NULL AND release_id IS NULL;
