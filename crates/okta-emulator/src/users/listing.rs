//! `GET /api/v1/users`: the plain listing (DEPROVISIONED users left out), `q` (a prefix of
//! the names or the email, one page), `filter` and `search` (from the lagging index, sorted
//! when asked), `fields`, and cursor paging by `after` with `Link` headers as Okta sends them.

use super::{MAX_LIMIT, param, query_pairs};
use crate::app::App;
use crate::errors::{ApiError, json_ok};
use crate::fields::Projection;
use crate::filter::{self, Mode};
use crate::sort::Sort;
use crate::state::lock;
use crate::user::UserRecord;
use crate::wire::Status as UserStatus;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

fn link_header(url: &str, rel: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("<{url}>; rel=\"{rel}\"")).ok()
}

/// `GET /api/v1/users`.
pub async fn list(State(app): State<App>, RawQuery(raw): RawQuery) -> Response {
    match list_inner(&app, raw.as_deref()) {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

fn list_inner(app: &App, raw: Option<&str>) -> Result<Response, ApiError> {
    let pairs = query_pairs(raw);
    let q = param(&pairs, "q");
    let limit = match param(&pairs, "limit") {
        None => {
            if q.is_some() {
                10
            } else {
                MAX_LIMIT
            }
        }
        Some(s) => match s.trim().parse::<i64>() {
            Ok(n) if n >= 1 => usize::try_from(n).unwrap_or(MAX_LIMIT).min(MAX_LIMIT),
            _ => return Err(ApiError::bad_paging()),
        },
    };
    let after = param(&pairs, "after").filter(|s| !s.is_empty());
    let expr = match (param(&pairs, "search"), param(&pairs, "filter")) {
        (Some(s), _) => Some(filter::parse(s, Mode::Search)?),
        (None, Some(f)) => Some(filter::parse(f, Mode::Filter)?),
        (None, None) => None,
    };
    let projection = param(&pairs, "fields").map(Projection::parse).transpose()?;
    // Okta sorts `search` results only.
    let sort = match param(&pairs, "search") {
        Some(_) => Sort::from_params(param(&pairs, "sortBy"), param(&pairs, "sortOrder"))?,
        None => None,
    };
    let (lag, hide_deprovisioned) = {
        let faults = &lock(&app.config).faults;
        (faults.search_lag_ms, faults.hide_deprovisioned_in_searches)
    };
    let base = &app.base_url;
    let mut store = lock(&app.store);
    let mut page: Vec<Value> = Vec::with_capacity(limit.min(256));
    let mut more = false;
    let mut last_id: Option<String> = None;
    if let (Some(sort), Some(e)) = (&sort, &expr) {
        let matches: Vec<&UserRecord> = store
            .searchable(app.now(), lag, None)
            .filter(|u| !(hide_deprovisioned && u.status == UserStatus::Deprovisioned))
            .filter(|u| e.matches(u))
            .collect();
        let (users, next) = sort.page(matches, after, limit)?;
        page.extend(users.iter().map(|u| u.render(base, false)));
        more = next.is_some();
        last_id = next;
    } else {
        let iter: Box<dyn Iterator<Item = &UserRecord>> = match &expr {
            Some(_) => store.searchable(app.now(), lag, after),
            None => store.after(after),
        };
        for u in iter {
            let keep = match (&expr, q) {
                (Some(_), _) if hide_deprovisioned && u.status == UserStatus::Deprovisioned => {
                    false
                }
                (Some(e), _) => e.matches(u),
                (None, Some(prefix)) => {
                    u.status != UserStatus::Deprovisioned && q_matches(u, prefix)
                }
                (None, None) => u.status != UserStatus::Deprovisioned,
            };
            if !keep {
                continue;
            }
            if page.len() == limit {
                more = true;
                break;
            }
            page.push(u.render(base, false));
            last_id = Some(u.id.clone());
        }
    }
    drop(store);
    if let Some(p) = &projection {
        page = page.into_iter().map(|u| p.apply(u)).collect();
    }
    let mut resp = json_ok(&Value::Array(page));
    let self_url = match raw.filter(|r| !r.is_empty()) {
        Some(r) => format!("{base}/api/v1/users?{r}"),
        None => format!("{base}/api/v1/users"),
    };
    let headers = resp.headers_mut();
    if let Some(v) = link_header(&self_url, "self") {
        headers.append(header::LINK, v);
    }
    // `q` has no pagination in Okta.
    if more
        && q.is_none()
        && let Some(last) = last_id
    {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        ser.append_pair("after", &last);
        for (k, v) in pairs.iter().filter(|(k, _)| k != "after") {
            ser.append_pair(k, v);
        }
        let next = format!("{base}/api/v1/users?{}", ser.finish());
        if let Some(v) = link_header(&next, "next") {
            headers.append(header::LINK, v);
        }
    }
    Ok(resp)
}

fn q_matches(u: &UserRecord, prefix: &str) -> bool {
    let p = prefix.to_lowercase();
    ["firstName", "lastName", "email"].iter().any(|a| {
        u.profile
            .get(*a)
            .and_then(Value::as_str)
            .is_some_and(|v| v.to_lowercase().starts_with(&p))
    })
}
