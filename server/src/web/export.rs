//! `GET /account/timeline/export.csv` and `.json`: the account's events with the Timeline's
//! filters, streamed in batches straight from the database, so exporting 100,000 events costs
//! the memory of one batch, not of the whole history.

use super::signed_in::{caller_and_lang, sign_in_required};
use crate::db::timeline::{self, Cursor, Filter, Position};
use crate::db::Db;
use crate::host::{event_view, timeline_filter};
use crate::state::AppState;
use app::events::describe;
use app::host::Caller;
use app::i18n::{Key, Lang};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{header, HeaderValue, StatusCode};

/// Events read per query while exporting.
const BATCH: i64 = 500;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

pub async fn csv(State(state): State<AppState>, req: Request) -> Response {
    export(state, req, Format::Csv).await
}

pub async fn json(State(state): State<AppState>, req: Request) -> Response {
    export(state, req, Format::Json).await
}

async fn export(state: AppState, req: Request, format: Format) -> Response {
    let (parts, _) = req.into_parts();
    // The session middleware sends signed-out visitors to sign in before this runs.
    let (caller, lang) = caller_and_lang(&parts);
    let Some(caller) = caller else {
        return sign_in_required(lang);
    };
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let request = match app::validate::timeline(param("category"), param("from"), param("to"), "", "") {
        Ok(request) => request,
        Err(errors) => {
            let text: Vec<&str> = errors.iter().map(|e| e.key.text(lang)).collect();
            return (StatusCode::UNPROCESSABLE_ENTITY, format!("{}\n", text.join("\n"))).into_response();
        }
    };
    let batches = Batches {
        db: state.db.clone(),
        filter: timeline_filter(&request, &caller.time_zone),
        caller,
        cursor: Cursor::Newest,
        lang,
        format,
        started: false,
        done: false,
    };
    // Fused: a body wrapper (compression) may poll once more after the end, which an unfold
    // stream answers with a panic.
    let stream = futures_util::StreamExt::fuse(futures_util::stream::unfold(batches, next_chunk));
    let (content_type, extension) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Json => ("application/json", "json"),
    };
    let disposition = format!("attachment; filename=\"vestibule-events.{extension}\"");
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

struct Batches {
    db: Db,
    caller: Caller,
    filter: Filter,
    cursor: Cursor,
    lang: Lang,
    format: Format,
    started: bool,
    done: bool,
}

/// One chunk of the body: the header first, then one batch of events, then the end.
async fn next_chunk(mut b: Batches) -> Option<(Result<Bytes, std::io::Error>, Batches)> {
    if b.done {
        return None;
    }
    let mut out = Vec::with_capacity(64 * 1024);
    if !b.started {
        b.started = true;
        match b.format {
            Format::Csv => out.extend_from_slice(&csv_header(b.lang)),
            Format::Json => out.extend_from_slice(b"{\"events\":[\n"),
        }
    }
    let events = match timeline::page(&b.db, &b.caller.user_id, b.filter, b.cursor, BATCH).await {
        Ok(events) => events,
        Err(e) => {
            // The body stops short: the browser reports the download as failed, never as a
            // complete file.
            tracing::error!(request_id = %b.caller.request_id, error = %e, "export failed");
            b.done = true;
            return Some((Err(std::io::Error::other("export interrupted")), b));
        }
    };
    let first_batch = matches!(b.cursor, Cursor::Newest);
    if let Some(last) = events.last() {
        b.cursor = Cursor::Before(Position::of(last));
    }
    b.done = (events.len() as i64) < BATCH;
    let zone = b.caller.time_zone.clone();
    for (i, event) in events.into_iter().enumerate() {
        let view = event_view(event, &zone);
        match b.format {
            Format::Csv => out.extend_from_slice(&csv_row(&view, b.lang)),
            Format::Json => {
                if !(first_batch && i == 0) {
                    out.extend_from_slice(b",\n");
                }
                out.extend_from_slice(&json_event(&view, b.lang));
            }
        }
    }
    if b.done && b.format == Format::Json {
        out.extend_from_slice(b"\n]}\n");
    }
    Some((Ok(Bytes::from(out)), b))
}

/// Spreadsheets in French expect `;` between fields (`,` is their decimal separator).
fn delimiter(lang: Lang) -> u8 {
    match lang {
        Lang::En => b',',
        Lang::Fr => b';',
    }
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return)
/// starts with an apostrophe instead, which spreadsheets show as text (OWASP's advice).
fn defused(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn csv_record(cells: &[String], lang: Lang) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter(lang))
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let safe: Vec<String> = cells.iter().map(|c| defused(c)).collect();
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(&safe);
    writer.into_inner().unwrap_or_default()
}

fn csv_header(lang: Lang) -> Vec<u8> {
    // The byte-order mark tells spreadsheets the file is UTF-8 (accents survive).
    let mut out = "\u{feff}".as_bytes().to_vec();
    let names = [
        Key::ExportColumnTime,
        Key::ExportColumnEvent,
        Key::ExportColumnType,
        Key::CategoryLabel,
        Key::ExportColumnAddress,
        Key::ExportColumnBrowser,
    ];
    let cells: Vec<String> = names.iter().map(|k| k.text(lang).to_string()).collect();
    out.extend(csv_record(&cells, lang));
    out
}

fn csv_row(event: &app::model::EventView, lang: Lang) -> Vec<u8> {
    let cells = [
        app::components::format_iso(event.at),
        describe(event, lang),
        event.kind.clone(),
        event.category.label().text(lang).to_string(),
        event.ip.clone().unwrap_or_default(),
        event
            .agent
            .as_ref()
            .map(|a| app::events::agent_text(a, lang))
            .unwrap_or_default(),
    ];
    csv_record(&cells, lang)
}

/// Shaped like the Scalingo events API (`id` as a string, `type`, `type_data`), with the
/// sentence and the category added.
fn json_event(event: &app::model::EventView, lang: Lang) -> Vec<u8> {
    let value = serde_json::json!({
        "id": event.id.to_string(),
        "created_at": app::components::format_iso(event.at),
        "type": event.kind,
        "category": event.category.slug(),
        "sentence": describe(event, lang),
        "ip": event.ip,
        "browser": event.agent.as_ref().map(|a| app::events::agent_text(a, lang)),
        "type_data": event.data,
    });
    serde_json::to_vec(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        for cell in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(defused(cell).starts_with('\''), "{cell}");
        }
        assert_eq!(defused("203.0.113.7"), "203.0.113.7");
        assert_eq!(defused("Signed in"), "Signed in");
    }

    #[test]
    fn records_are_quoted_and_delimited_by_language() {
        let cells = vec!["a;b".to_string(), "say \"hi\"".to_string(), "=1+1".to_string()];
        assert_eq!(
            String::from_utf8(csv_record(&cells, Lang::Fr)).unwrap(),
            "\"a;b\";\"say \"\"hi\"\"\";'=1+1\r\n"
        );
        assert_eq!(
            String::from_utf8(csv_record(&cells, Lang::En)).unwrap(),
            "a;b,\"say \"\"hi\"\"\",'=1+1\r\n"
        );
    }
}
