-- Schema version 2: actual cumulative spending by month (执行数), issue #6. Frozen.

CREATE TABLE execution (
	id INTEGER NOT NULL,
	project_id INTEGER NOT NULL,
	month INTEGER NOT NULL,
	amount_raw TEXT,
	amount VARCHAR,
	PRIMARY KEY (id),
	UNIQUE (project_id, month),
	CONSTRAINT ck_execution_month CHECK (month BETWEEN 1 AND 12),
	FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);

CREATE INDEX ix_execution_project_id ON execution (project_id);
