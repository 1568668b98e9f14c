-- Installation facts (see migrations/sqlite/0007_settings.sql).

CREATE TABLE settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
