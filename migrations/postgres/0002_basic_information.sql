-- Profile, newsletter and preferences live on the account row.
ALTER TABLE users ADD COLUMN fullname TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN company TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN newsletter BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN newsletter_changed_at BIGINT;
ALTER TABLE users ADD COLUMN theme TEXT NOT NULL DEFAULT 'system';
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';

-- Legal documents operators publish with `vestibule documents publish`. Bodies are HTML the
-- server rendered from the operator's Markdown (raw HTML removed). `seq` orders versions: the
-- highest of a kind is the current one.
CREATE TABLE legal_documents (
    id           TEXT PRIMARY KEY,
    seq          BIGINT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    version      TEXT NOT NULL,
    required     BIGINT NOT NULL,
    body_en      TEXT NOT NULL,
    body_fr      TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    UNIQUE (kind, version)
);
CREATE INDEX legal_documents_by_kind ON legal_documents(kind, seq);

-- Who accepted which version, when, and in which language. Documents are never deleted.
CREATE TABLE document_acceptances (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES legal_documents(id),
    accepted_at BIGINT NOT NULL,
    lang        TEXT NOT NULL,
    PRIMARY KEY (user_id, document_id)
);
