//! The schema routes: `GET` and the partial `POST /api/v1/meta/schemas/user/{schemaId}` for
//! the default user type (`default` or its `osc…` id). Scopes are checked by the pipeline
//! (`okta.schemas.read` / `okta.schemas.manage`); here an SSWS caller must also act for a
//! super or org admin to write, since only those roles hold "Manage Profile Editor". The
//! schema logic itself lives in `schema.rs`; this module only routes and answers.

use super::app::App;
use super::auth::Principal;
use super::errors::{ApiError, json_ok};
use super::schema::SCHEMA_ID;
use super::state::lock;
use super::users::json_object;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The route both methods answer on.
pub const ROUTE: &str = "/api/v1/meta/schemas/user/{schema_id}";

/// Admin roles that may change the user schema.
const SCHEMA_ADMINS: &[&str] = &["SUPER_ADMIN", "ORG_ADMIN"];

fn known(schema_id: &str) -> Result<(), ApiError> {
    if schema_id == "default" || schema_id == SCHEMA_ID {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "E0000007",
            format!("Not found: Resource not found: {schema_id} (UserSchema)"),
        ))
    }
}

/// `GET /api/v1/meta/schemas/user/{schemaId}`.
pub async fn get(State(app): State<App>, Path(schema_id): Path<String>) -> Response {
    if let Err(e) = known(&schema_id) {
        return e.into_response();
    }
    let store = lock(&app.store);
    json_ok(&store.schema().render(&app.base_url))
}

/// `POST /api/v1/meta/schemas/user/{schemaId}`: partial update; answers the whole schema.
pub async fn update(
    State(app): State<App>,
    Path(schema_id): Path<String>,
    principal: Option<Extension<Principal>>,
    body: Bytes,
) -> Response {
    update_inner(&app, &schema_id, principal.map(|p| p.0), &body)
        .unwrap_or_else(IntoResponse::into_response)
}

fn update_inner(
    app: &App,
    schema_id: &str,
    principal: Option<Principal>,
    body: &[u8],
) -> Result<Response, ApiError> {
    if let Some(Principal::Ssws { .. }) = principal {
        let roles = lock(&app.config).token_owner_roles.clone();
        if !roles.iter().any(|r| SCHEMA_ADMINS.contains(&r.as_str())) {
            return Err(ApiError::forbidden());
        }
    }
    known(schema_id)?;
    let body = json_object(body)?;
    let at = app.now();
    let mut store = lock(&app.store);
    store.patch_schema(&body, at)?;
    Ok(json_ok(&store.schema().render(&app.base_url)))
}
