-- Schema version 4: several writers at once (issue #16). Frozen: never edit, add a new file.
-- Row versions on documents and projects (who changed them last), a change counter that
-- other windows poll, and a log of which document/project each counted commit touched.

ALTER TABLE document ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

ALTER TABLE document ADD COLUMN changed_by TEXT;

ALTER TABLE project ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

ALTER TABLE project ADD COLUMN changed_by TEXT;

CREATE TABLE change_counter (
	id INTEGER NOT NULL,
	value INTEGER NOT NULL,
	PRIMARY KEY (id)
);

INSERT INTO change_counter (id, value) VALUES (1, 0);

CREATE TABLE change_log (
	id INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	origin VARCHAR(40) NOT NULL,
	document_id INTEGER,
	project_id INTEGER,
	changed_by TEXT,
	PRIMARY KEY (id)
);

CREATE INDEX ix_change_log_seq ON change_log (seq);
