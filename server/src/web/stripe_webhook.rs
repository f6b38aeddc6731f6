//! `POST /webhooks/stripe`: the provider says how a charge that was still processing ended (a
//! SEPA debit takes days). Nothing is read from the body before its signature is checked
//! against `VESTIBULE_STRIPE_WEBHOOK_SECRET` and its time found within five minutes. An event
//! counts once, recorded in the transaction that applies it: a replay is refused (409), and an
//! event nothing waits for yet is left for the provider to send again.

use crate::billing::run::payment_failed_mail;
use crate::billing::webhook_signature::verify_webhook;
use crate::db::billing::{payment, webhooks};
use crate::db::events::Actor;
use crate::db::now;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};
use serde::Deserialize;

#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: EventObject,
}

#[derive(Deserialize)]
struct EventObject {
    #[serde(default)]
    id: String,
    #[serde(default)]
    metadata: Metadata,
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    reference: String,
}

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(secret) = state
        .config
        .billing
        .stripe
        .as_ref()
        .and_then(|s| s.settings().webhook_secret.clone())
    else {
        return (StatusCode::NOT_FOUND, "webhooks are not set up on this server\n").into_response();
    };
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let at = now();
    if !verify_webhook(&secret, signature, &body, at) {
        return (StatusCode::BAD_REQUEST, "invalid or missing signature\n").into_response();
    }
    let Ok(event) = serde_json::from_slice::<Event>(&body) else {
        return (StatusCode::BAD_REQUEST, "not a Stripe event\n").into_response();
    };
    let succeeded = match event.kind.as_str() {
        "payment_intent.succeeded" => true,
        "payment_intent.payment_failed" => false,
        // Other events are none of this server's business: acknowledged, nothing done.
        _ => return StatusCode::OK.into_response(),
    };
    let actor = Actor {
        ip: None,
        user_agent: Some("stripe webhook".into()),
    };
    let public_url = state.config.public_url.clone();
    let mail =
        move |owner: &payment::Owner, invoice: &crate::db::billing::StoredInvoice, failure: &payment::Failure| {
            payment_failed_mail(&public_url, owner, invoice, failure)
        };
    let object = &event.data.object;
    let settled = webhooks::settle_processing(
        &state.db,
        &event.id,
        &object.id,
        &object.metadata.reference,
        succeeded,
        &actor,
        at,
        &mail,
    )
    .await;
    match settled {
        Ok(webhooks::Settled::Invoice { month, paid: true }) => {
            // A referee's invoice paid now earns its referrer now.
            if let Some(month) = crate::billing::money::Month::parse(&month) {
                if let Err(e) = crate::db::referrals::credit_referrers(&state.db, month, &actor, at).await {
                    tracing::warn!(error = %e, "referral credit after a webhook failed; the next run makes it");
                }
            }
            StatusCode::OK.into_response()
        }
        Ok(webhooks::Settled::Replay) => (StatusCode::CONFLICT, "event already processed\n").into_response(),
        // Perhaps the charge's own answer is not recorded yet: the provider tries again later.
        Ok(webhooks::Settled::Nothing) => {
            (StatusCode::CONFLICT, "nothing waits for this payment yet\n").into_response()
        }
        Ok(_) => {
            state.mail_wake.notify_one();
            StatusCode::OK.into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "webhook not applied");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
