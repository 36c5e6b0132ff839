//! The sign-in page (`GET`/`POST /console/login`): the read or admin token typed into a form
//! sets the session cookie (which holds no token); `POST /console/logout` clears it. Shows
//! nothing about people.

use crate::console::Console;
use crate::console::SignedIn;
use crate::console::access::{self, Reader};
use crate::console::layout::{self, Frame, Nav};
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct SignIn {
    token: String,
}

/// The sign-out form's fields.
#[derive(Deserialize)]
pub struct SignOut {
    csrf: String,
}

/// `GET /console/login`.
pub async fn form(State(console): State<Console>) -> Response {
    render(&console, StatusCode::OK, None)
}

/// `POST /console/login`: a right token sets the cookie and goes to the overview.
pub async fn sign_in(
    State(console): State<Console>,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Response {
    if !access::same_origin(&headers) {
        return render(
            &console,
            StatusCode::FORBIDDEN,
            Some("This form was sent from another site."),
        );
    }
    match console.access().sign_in(form.token.trim()) {
        Some(value) => (
            [(header::SET_COOKIE, access::session_cookie(&value, &headers))],
            Redirect::to("/console"),
        )
            .into_response(),
        None => {
            tracing::warn!("console: a sign-in with a wrong token was refused");
            render(
                &console,
                StatusCode::UNAUTHORIZED,
                Some("That token is not valid."),
            )
        }
    }
}

/// `POST /console/logout`: clears the cookie.
pub async fn sign_out(
    State(console): State<Console>,
    SignedIn(reader): SignedIn,
    headers: HeaderMap,
    Form(form): Form<SignOut>,
) -> Response {
    if !access::same_origin(&headers) || !console.access().csrf_ok(&reader, &form.csrf) {
        return (
            StatusCode::FORBIDDEN,
            "refused: not sent from this console's page\n",
        )
            .into_response();
    }
    (
        [(header::SET_COOKIE, access::cleared_cookie())],
        Redirect::to("/console/login"),
    )
        .into_response()
}

fn render(console: &Console, status: StatusCode, problem: Option<&str>) -> Response {
    let frame = Frame {
        title: "Sign in",
        nav: Nav::None,
        reader: None::<(&Reader, String)>,
    };
    let body = html! {
        @if let Some(problem) = problem { (layout::notice("bad", problem)) }
        @if console.access().has_token() {
            form.card.signin method="post" action="/console/login" {
                label for="token" { "Console token" }
                input #token type="password" name="token" autocomplete="current-password" required;
                button type="submit" { "Sign in" }
            }
        } @else {
            (layout::notice("plain", "This console is signed into through the reverse proxy in front of it."))
        }
    };
    (status, Html(layout::page(&frame, body).into_string())).into_response()
}
