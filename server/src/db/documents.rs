//! Legal documents and who accepted which version. Operators publish; accounts accept the
//! current version of each kind (the one with the highest `seq`).

use super::events::{self, Actor, EventType, NewEvent};
use super::Db;
use app::i18n::Lang;
use app::model::DocumentKind;
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// One published version, without its bodies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredDocument {
    pub id: String,
    pub kind: DocumentKind,
    pub version: String,
    pub required: bool,
    pub published_at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredAcceptance {
    pub accepted_at: i64,
    pub lang: Lang,
}

pub struct NewDocument<'a> {
    pub kind: DocumentKind,
    pub version: &'a str,
    pub required: bool,
    pub body_en: &'a str,
    pub body_fr: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("version {0} of this document is already published")]
    VersionExists(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

const SUMMARY: &str = "id, kind, version, required, published_at";

fn summary(row: &sqlx::any::AnyRow) -> Result<Option<StoredDocument>, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    // A kind this release does not know (published by a newer one) is skipped, not an error.
    let Some(kind) = DocumentKind::from_slug(&kind) else {
        return Ok(None);
    };
    let required: i64 = row.try_get("required")?;
    Ok(Some(StoredDocument {
        id: row.try_get("id")?,
        kind,
        version: row.try_get("version")?,
        required: required != 0,
        published_at: row.try_get("published_at")?,
    }))
}

/// A comparison's result: a boolean on PostgreSQL, an integer on SQLite.
fn flag(row: &sqlx::any::AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    match row.try_get::<bool, _>(column) {
        Ok(b) => Ok(b),
        Err(_) => Ok(row.try_get::<i64, _>(column)? != 0),
    }
}

fn summaries(rows: Vec<sqlx::any::AnyRow>) -> Result<Vec<StoredDocument>, sqlx::Error> {
    let mut docs = Vec::with_capacity(rows.len());
    for row in &rows {
        if let Some(doc) = summary(row)? {
            docs.push(doc);
        }
    }
    docs.sort_by_key(|d| DocumentKind::ALL.iter().position(|k| *k == d.kind));
    Ok(docs)
}

/// Publishes a new version; it becomes the current one of its kind.
pub async fn publish(db: &Db, new: NewDocument<'_>, at: i64) -> Result<StoredDocument, PublishError> {
    let mut tx = db.begin_write().await?;
    let exists = sqlx::query("SELECT 1 AS one FROM legal_documents WHERE kind = $1 AND version = $2")
        .bind(new.kind.slug())
        .bind(new.version)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Err(PublishError::VersionExists(new.version.to_string()));
    }
    let doc = StoredDocument {
        id: uuid::Uuid::new_v4().to_string(),
        kind: new.kind,
        version: new.version.to_string(),
        required: new.required,
        published_at: at,
    };
    sqlx::query(
        "INSERT INTO legal_documents (id, seq, kind, version, required, body_en, body_fr, published_at) \
         SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7 FROM legal_documents",
    )
    .bind(&doc.id)
    .bind(doc.kind.slug())
    .bind(&doc.version)
    .bind(i64::from(doc.required))
    .bind(new.body_en)
    .bind(new.body_fr)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(doc)
}

/// The current version of each kind, in display order.
pub async fn current(db: &Db) -> Result<Vec<StoredDocument>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY} FROM legal_documents d \
         WHERE seq = (SELECT MAX(seq) FROM legal_documents x WHERE x.kind = d.kind)"
    ))
    .fetch_all(&db.pool)
    .await?;
    summaries(rows)
}

/// Every version, newest first (for the operator's `documents list`).
pub async fn all(db: &Db) -> Result<Vec<(StoredDocument, bool)>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY}, seq = (SELECT MAX(seq) FROM legal_documents x WHERE x.kind = d.kind) AS is_current \
         FROM legal_documents d ORDER BY seq DESC"
    ))
    .fetch_all(&db.pool)
    .await?;
    let mut docs = Vec::new();
    for row in &rows {
        if let Some(doc) = summary(row)? {
            docs.push((doc, flag(row, "is_current")?));
        }
    }
    Ok(docs)
}

/// What one account sees of the documents, from one query: every current version (with the
/// user's acceptance, if any) and every earlier version the user accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountDocuments {
    pub current: Vec<(StoredDocument, Option<StoredAcceptance>)>,
    pub archived: Vec<(StoredDocument, StoredAcceptance)>,
}

impl AccountDocuments {
    /// Current required versions not accepted yet.
    pub fn pending(&self) -> Vec<StoredDocument> {
        self.current
            .iter()
            .filter(|(d, a)| d.required && a.is_none() && !d.kind.is_hds())
            .map(|(d, _)| d.clone())
            .collect()
    }
}

pub async fn for_account(db: &Db, user_id: &str) -> Result<AccountDocuments, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT d.id, d.kind, d.version, d.required, d.published_at, a.accepted_at, a.lang, \
                d.seq = (SELECT MAX(seq) FROM legal_documents x WHERE x.kind = d.kind) AS is_current \
         FROM legal_documents d \
         LEFT JOIN document_acceptances a ON a.document_id = d.id AND a.user_id = $1 \
         WHERE a.user_id IS NOT NULL OR d.seq = (SELECT MAX(seq) FROM legal_documents x WHERE x.kind = d.kind) \
         ORDER BY d.seq DESC",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    let mut docs = AccountDocuments::default();
    for row in &rows {
        let Some(doc) = summary(row)? else { continue };
        let accepted_at: Option<i64> = row.try_get("accepted_at")?;
        let lang: Option<String> = row.try_get("lang")?;
        let acceptance = accepted_at.map(|accepted_at| StoredAcceptance {
            accepted_at,
            lang: lang.as_deref().and_then(Lang::from_code).unwrap_or_default(),
        });
        match (flag(row, "is_current")?, acceptance) {
            (true, acceptance) => docs.current.push((doc, acceptance)),
            (false, Some(acceptance)) => docs.archived.push((doc, acceptance)),
            (false, None) => {}
        }
    }
    docs.current
        .sort_by_key(|(d, _)| DocumentKind::ALL.iter().position(|k| *k == d.kind));
    Ok(docs)
}

/// One version with its body in `lang`, and whether it is the current one.
pub async fn find(
    db: &Db,
    kind: DocumentKind,
    version: Option<&str>,
    lang: Lang,
) -> Result<Option<(StoredDocument, bool, String)>, sqlx::Error> {
    let body = match lang {
        Lang::En => "body_en",
        Lang::Fr => "body_fr",
    };
    let current = "(SELECT MAX(seq) FROM legal_documents x WHERE x.kind = d.kind)";
    let query = match version {
        Some(_) => format!(
            "SELECT {SUMMARY}, {body} AS body, seq = {current} AS is_current FROM legal_documents d \
             WHERE kind = $1 AND version = $2"
        ),
        None => format!(
            "SELECT {SUMMARY}, {body} AS body, 1 = 1 AS is_current FROM legal_documents d \
             WHERE kind = $1 AND seq = {current}"
        ),
    };
    let mut q = sqlx::query(&query).bind(kind.slug());
    if let Some(version) = version {
        q = q.bind(version);
    }
    let Some(row) = q.fetch_optional(&db.pool).await? else {
        return Ok(None);
    };
    let Some(doc) = summary(&row)? else { return Ok(None) };
    Ok(Some((doc, flag(&row, "is_current")?, row.try_get("body")?)))
}

#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    #[error("no such document")]
    NotFound,
    #[error("a newer version is current")]
    Outdated,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Records that the user accepted the current version `document_id`, with `accept_contract`.
/// Accepting again keeps the first acceptance.
pub async fn accept(
    db: &Db,
    user_id: &str,
    document_id: &str,
    lang: Lang,
    actor: &Actor,
    at: i64,
) -> Result<(), AcceptError> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(&format!(
        "SELECT {SUMMARY}, seq = (SELECT MAX(seq) FROM legal_documents x WHERE x.kind = d.kind) AS is_current \
         FROM legal_documents d WHERE id = $1"
    ))
    .bind(document_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AcceptError::NotFound)?;
    let doc = summary(&row)?.ok_or(AcceptError::NotFound)?;
    if !flag(&row, "is_current")? {
        return Err(AcceptError::Outdated);
    }
    record_acceptance(&mut tx, user_id, &doc, lang, actor, at).await?;
    tx.commit().await?;
    Ok(())
}

/// Inside a transaction: the acceptance row and its event (sign-up calls this too).
pub async fn record_acceptance(
    conn: &mut AnyConnection,
    user_id: &str,
    doc: &StoredDocument,
    lang: Lang,
    actor: &Actor,
    at: i64,
) -> Result<(), sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO document_acceptances (user_id, document_id, accepted_at, lang) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, document_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(&doc.id)
    .bind(at)
    .bind(lang.code())
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(());
    }
    events::record(
        conn,
        NewEvent {
            user_id: Some(user_id),
            kind: EventType::AcceptContract,
            actor,
            data: json!({ "name": doc.kind.slug(), "version": doc.version, "locale": lang.code() }),
        },
    )
    .await
}
