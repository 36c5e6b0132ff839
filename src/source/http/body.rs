//! Reading an HR API's answers: a body with a size cap while it streams, JSON decoded so
//! that an HTML page or a truncated body is told apart from other garbage, and the error
//! text of an error answer. Reads what it is given; sends nothing, retries nothing.

use super::{Vendor, malformed, unreadable};
use crate::source::SourceError;
use reqwest::{Response, header::HeaderMap};
use serde_json::Value;

/// Reads a body of at most `cap` bytes, refusing a larger one as it streams in (a declared
/// length over the cap is refused before reading). `Err(None)` is a timeout (the caller names
/// it); a connection that ends before the declared length is a truncated answer.
pub async fn read_capped(
    url: &str,
    vendor: &Vendor,
    cap: u64,
    mut response: Response,
) -> Result<Vec<u8>, Option<SourceError>> {
    let too_big = |n: u64| {
        Some(unreadable(
            url,
            &format!(
                "{}'s answer is larger than [source] max_response_bytes = {cap} ({n} bytes or more); refusing to read it. If your company really is this large, raise max_response_bytes",
                vendor.short
            ),
        ))
    };
    let declared = response.content_length();
    if let Some(n) = declared.filter(|n| *n > cap) {
        return Err(too_big(n));
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if (body.len() + chunk.len()) as u64 > cap {
                    return Err(too_big((body.len() + chunk.len()) as u64));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) if e.is_timeout() => return Err(None),
            Err(e) => {
                let message = match declared {
                    Some(n) => format!(
                        "the answer was cut off: {} of {n} bytes arrived before the connection closed ({}); nothing was used, the next run tries again",
                        body.len(),
                        e.without_url()
                    ),
                    None => format!(
                        "the answer was cut off after {} bytes ({}); nothing was used, the next run tries again",
                        body.len(),
                        e.without_url()
                    ),
                };
                return Err(Some(unreadable(url, &message)));
            }
        }
    }
}

/// Decodes a JSON body, telling the usual failures apart: an HTML page (a proxy, login or
/// maintenance page answering in the API's place), a body that ends mid-JSON (truncated), an
/// empty body, and anything else that is not JSON. All are [`SourceError::Malformed`].
pub fn decode_json(
    url: &str,
    vendor: &Vendor,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, SourceError> {
    let parsed = serde_json::from_slice::<Value>(body);
    // A JSON body is used whatever its declared type (some APIs label it loosely).
    let err = match parsed {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    if looks_like_html(headers, body) {
        let title = html_title(body)
            .map(|t| format!(" ({t:?})"))
            .unwrap_or_default();
        return Err(malformed(
            url,
            &format!(
                "{} answered with an HTML page{title} instead of JSON: a proxy, login or maintenance page is answering in its place, or [source] base_url points at the web app instead of the API",
                vendor.short
            ),
        ));
    }
    if body.trim_ascii().is_empty() {
        return Err(malformed(
            url,
            &format!(
                "{} answered with an empty body instead of JSON",
                vendor.short
            ),
        ));
    }
    if err.is_eof() {
        Err(malformed(
            url,
            &format!(
                "the answer ends in the middle of the JSON after {} bytes (truncated): nothing was used, the next run tries again",
                body.len()
            ),
        ))
    } else {
        Err(malformed(url, &format!("not JSON: {err}")))
    }
}

fn looks_like_html(headers: &HeaderMap, body: &[u8]) -> bool {
    let html_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.to_ascii_lowercase().contains("text/html"));
    let start: Vec<u8> = body
        .trim_ascii_start()
        .iter()
        .take(15)
        .map(u8::to_ascii_lowercase)
        .collect();
    html_type || start.starts_with(b"<!doctype html") || start.starts_with(b"<html")
}

/// The `<title>` of an HTML page, shortened, if it has one.
fn html_title(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let end = open_end + lower[open_end..].find("</title")?;
    let title: String = text[open_end..end]
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let title = title.trim().to_owned();
    (!title.is_empty()).then_some(title)
}

/// The error text of an error answer as `": text"` (the vendor's own text, else an HTML
/// page's title, else the body), shortened to 200 characters; empty when there is none.
pub async fn error_detail(vendor: &Vendor, response: Response) -> String {
    let headers = response.headers().clone();
    let body = response.text().await.unwrap_or_default();
    let text = (vendor.error_text)(&headers, &body)
        .or_else(|| {
            looks_like_html(&headers, body.as_bytes())
                .then(|| html_title(body.as_bytes()).map(|t| format!("an HTML page: {t}")))
                .flatten()
        })
        .unwrap_or(body);
    let short: String = text.chars().filter(|c| !c.is_control()).take(200).collect();
    if short.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", short.trim())
    }
}

/// The `error` text of a `{"error": "..."}` body (HiBob), or of `{"error": {"message": ...}}`
/// (Personio); a usable [`Vendor::error_text`].
pub fn json_error_text(_headers: &HeaderMap, body: &str) -> Option<String> {
    let value = serde_json::from_str::<Value>(body).ok()?;
    let error = value.get("error")?;
    error
        .as_str()
        .or_else(|| error.get("message").and_then(Value::as_str))
        .map(str::to_owned)
}
