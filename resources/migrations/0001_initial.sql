-- Schema version 1: the data model of issue #2. Frozen: never edit, add a new file.

CREATE TABLE unit (
	id INTEGER NOT NULL,
	code VARCHAR(32) NOT NULL,
	name TEXT NOT NULL,
	region_code VARCHAR(16),
	PRIMARY KEY (id),
	UNIQUE (code)
);

CREATE TABLE document (
	id INTEGER NOT NULL,
	unit_id INTEGER NOT NULL,
	year INTEGER NOT NULL,
	unit_line TEXT,
	profile VARCHAR(32) NOT NULL,
	has_part1 BOOLEAN NOT NULL,
	overall_label TEXT,
	overall_text TEXT,
	subgoals_label TEXT,
	measures_label TEXT,
	updated_at DATETIME,
	PRIMARY KEY (id),
	UNIQUE (unit_id, year),
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);

CREATE INDEX ix_document_unit_id ON document (unit_id);

CREATE TABLE measure (
	id INTEGER NOT NULL,
	document_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	title TEXT NOT NULL,
	text TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE
);

CREATE INDEX ix_measure_document_id ON measure (document_id);

CREATE TABLE project (
	id INTEGER NOT NULL,
	document_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	seq INTEGER,
	heading TEXT,
	code VARCHAR(64),
	name TEXT,
	budget_total_raw TEXT,
	budget_total VARCHAR,
	budget_fiscal_raw TEXT,
	budget_fiscal VARCHAR,
	budget_other_raw TEXT,
	budget_other VARCHAR,
	purpose TEXT,
	plan_mar_raw TEXT,
	plan_mar VARCHAR,
	plan_jun_raw TEXT,
	plan_jun VARCHAR,
	plan_oct_raw TEXT,
	plan_oct VARCHAR,
	plan_dec_raw TEXT,
	plan_dec VARCHAR,
	goal TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE
);

CREATE INDEX ix_project_document_id ON project (document_id);

CREATE TABLE subgoal (
	id INTEGER NOT NULL,
	document_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	title TEXT NOT NULL,
	goal_label TEXT,
	goal_text TEXT,
	indicator_label TEXT,
	indicator_text TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE
);

CREATE INDEX ix_subgoal_document_id ON subgoal (document_id);

CREATE TABLE indicator (
	id INTEGER NOT NULL,
	project_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	level1 TEXT,
	level2 TEXT,
	level3 TEXT,
	description TEXT,
	value_raw TEXT,
	basis TEXT,
	value_kind VARCHAR(16) NOT NULL,
	comparator VARCHAR(4),
	number VARCHAR,
	unit VARCHAR(16),
	PRIMARY KEY (id),
	FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);

CREATE INDEX ix_indicator_project_id ON indicator (project_id);

CREATE TABLE waiver (
	id INTEGER NOT NULL,
	document_id INTEGER NOT NULL,
	rule_id VARCHAR(8) NOT NULL,
	project_id INTEGER,
	indicator_id INTEGER,
	field VARCHAR(32),
	location TEXT NOT NULL,
	explanation TEXT NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE,
	FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE,
	FOREIGN KEY(indicator_id) REFERENCES indicator (id) ON DELETE CASCADE
);

CREATE INDEX ix_waiver_document_id ON waiver (document_id);

CREATE INDEX ix_waiver_indicator_id ON waiver (indicator_id);

CREATE INDEX ix_waiver_project_id ON waiver (project_id);
