//! Sign-in's second step: a TOTP or recovery code turns the challenge the password step
//! issued into a session.

use super::second_factor;
use super::session_token;
use super::signin::{record_with, start_session, Client, Started};
use crate::db::events::EventType;
use crate::db::{challenges, now, users};
use crate::state::AppState;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ChallengeError {
    /// No live challenge: expired, answered elsewhere, or never issued.
    #[error("challenge expired")]
    Expired,
    #[error(transparent)]
    Code(#[from] second_factor::CodeError),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for ChallengeError {
    fn from(e: sqlx::Error) -> Self {
        ChallengeError::Internal(e.to_string())
    }
}

/// The second step: a TOTP or recovery code for the challenge the password step issued.
pub async fn answer_challenge(
    state: &AppState,
    challenge: &str,
    code: &str,
    client: &Client,
) -> Result<Started, ChallengeError> {
    let digest = session_token::digest(challenge);
    let at = now();
    let user_id = challenges::find(&state.db, &digest, at)
        .await?
        .ok_or(ChallengeError::Expired)?;
    let used = match second_factor::check(&state.db, &state.secret, &state.throttle, &user_id, code, at).await {
        Ok(used) => used,
        Err(e) => {
            if matches!(e, second_factor::CodeError::Wrong | second_factor::CodeError::Replayed) {
                let data = json!({ "remote_ip": client.ip, "second_factor": "refused" });
                record_with(state, Some(&user_id), EventType::LoginFailure, client, data).await?;
            }
            return Err(e.into());
        }
    };
    // Answered once: a second tab answering the same challenge gets nothing.
    if !challenges::finish(&state.db, &digest).await? {
        return Err(ChallengeError::Expired);
    }
    let mut conn = state.db.pool.acquire().await?;
    let user = users::find_by_id(&mut conn, &user_id)
        .await?
        .ok_or(ChallengeError::Expired)?;
    drop(conn);
    let started = start_session(state, user, client).await?;
    let data = json!({ "remote_ip": client.ip, "second_factor": used.name() });
    record_with(state, Some(&started.user.id), EventType::LoginSuccess, client, data).await?;
    Ok(started)
}
