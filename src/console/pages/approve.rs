//! `POST /console/approve`: the console's one write. Approves a held plan exactly as
//! `hrsync approve` does (the journal's `approve`: once; the next run that would hold exactly
//! that plan applies it) — only for a signed-in reader whose form carries their CSRF token,
//! comes from this console's own page, and carries the admin token.

use super::signed_page;
use crate::console::layout::{self, Nav};
use crate::console::{Console, SignedIn, access};
use crate::journal::Approval;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use maud::html;
use serde::Deserialize;

/// The approval form's fields.
#[derive(Deserialize)]
pub struct ApproveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    plan_id: String,
    #[serde(default)]
    admin_token: String,
}

/// `POST /console/approve`.
pub async fn submit(
    State(console): State<Console>,
    SignedIn(reader): SignedIn,
    headers: HeaderMap,
    Form(form): Form<ApproveForm>,
) -> Response {
    let refuse = |status: StatusCode, why: &str| {
        tracing::warn!("console: an approval was refused: {why}");
        let body = html! { (layout::notice("bad", why)) p { a href="/console" { "Back to the overview" } } };
        (
            status,
            signed_page(&console, &reader, "Approval refused", Nav::Overview, body),
        )
            .into_response()
    };
    if !access::same_origin(&headers) || !console.access().csrf_ok(&reader, &form.csrf) {
        return refuse(
            StatusCode::FORBIDDEN,
            "This form was not sent from this console's own page (its CSRF token is missing or wrong). Reload the overview and approve from there.",
        );
    }
    if !console.access().is_admin(form.admin_token.trim()) {
        return refuse(
            StatusCode::FORBIDDEN,
            "The admin token is not valid: approving needs console_admin_token, not the read token.",
        );
    }
    let id = form.plan_id.trim().to_ascii_lowercase();
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return refuse(StatusCode::BAD_REQUEST, "That is not a plan id.");
    }
    let plan = id.clone();
    let result = console
        .writer()
        .off_thread("console approval", move |j| j.approve(&plan, Utc::now()))
        .await;
    let (status, class, text) = match result {
        Ok(Approval::Recorded { summary }) => {
            tracing::info!(plan_id = id.as_str(), "console: plan approved");
            (
                StatusCode::OK,
                "good",
                format!(
                    "Approved plan {id} ({summary}): the next run applies exactly these held actions if it would still hold them."
                ),
            )
        }
        Ok(Approval::AlreadyOpen) => (
            StatusCode::OK,
            "plain",
            format!("Plan {id} is already approved and waits for the next run."),
        ),
        Ok(Approval::Closed { state }) => (
            StatusCode::CONFLICT,
            "bad",
            format!(
                "The approval of plan {id} is {state}; approve the plan the latest blocked run holds."
            ),
        ),
        Ok(Approval::Unknown) => (
            StatusCode::NOT_FOUND,
            "bad",
            format!("No blocked run held a plan {id}."),
        ),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "bad",
            format!(
                "The journal cannot be written: {}",
                crate::errors::describe(&e)
            ),
        ),
    };
    let body =
        html! { (layout::notice(class, &text)) p { a href="/console" { "Back to the overview" } } };
    (
        status,
        signed_page(&console, &reader, "Approval", Nav::Overview, body),
    )
        .into_response()
}
