-- Schema version 3: the finance bureau's intake and review (issue #15). Frozen.
-- Versions of a unit's submission, the unit's review status, and 审核意见 with their answers.

CREATE TABLE document_version (
	id INTEGER NOT NULL,
	document_id INTEGER NOT NULL,
	number INTEGER NOT NULL,
	received_at DATETIME NOT NULL,
	source TEXT,
	content TEXT NOT NULL,
	errors INTEGER NOT NULL,
	warnings INTEGER NOT NULL,
	hints INTEGER NOT NULL,
	assessment VARCHAR(4),
	PRIMARY KEY (id),
	UNIQUE (document_id, number),
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE
);

CREATE INDEX ix_document_version_document_id ON document_version (document_id);

CREATE TABLE review_state (
	document_id INTEGER NOT NULL,
	status VARCHAR(8) NOT NULL,
	reviewed_version INTEGER,
	updated_at DATETIME,
	PRIMARY KEY (document_id),
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE
);

CREATE TABLE opinion (
	id INTEGER NOT NULL,
	document_id INTEGER NOT NULL,
	uid VARCHAR(40) NOT NULL,
	project_code VARCHAR(64),
	"row" INTEGER,
	field VARCHAR(32),
	rule_id VARCHAR(8),
	finding_key TEXT,
	text TEXT NOT NULL,
	author TEXT,
	created_at DATETIME NOT NULL,
	reply TEXT,
	replied_at DATETIME,
	resolved BOOLEAN NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (document_id, uid),
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE
);

CREATE INDEX ix_opinion_document_id ON opinion (document_id);
