//! `hrsync check` against Okta: reads one page of users, then finds out whether the
//! credentials can write (OAuth: the granted scopes; SSWS: the admin roles of the token's own
//! user) and whether `okta.service_account_login` is that user. Read-only calls only; it never
//! changes anything in Okta.

use super::client::{Call, OktaClient};
use super::counters::EndpointClass;
use super::error::Error;
use reqwest::Method;
use serde::Serialize;

/// Whether the credentials can make the changes hrsync needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteAccess {
    /// They can create, update, activate and deactivate users.
    Yes,
    /// They cannot; the text says what is missing.
    No(String),
    /// It could not be determined; the text says why and what to check.
    Unknown(String),
}

/// Separates what is wrong from what to do in a [`WriteAccess::No`] or [`WriteAccess::Unknown`]
/// text: `<reason>; fix: <fix>`.
const FIX: &str = "; fix: ";

impl WriteAccess {
    /// What is wrong and, when the text says, what to do about it; `None` for `Yes`.
    pub fn reason_and_fix(&self) -> Option<(&str, Option<&str>)> {
        let text = match self {
            Self::Yes => return None,
            Self::No(text) | Self::Unknown(text) => text.as_str(),
        };
        Some(match text.rsplit_once(FIX) {
            Some((reason, fix)) => (reason, Some(fix)),
            None => (text, None),
        })
    }
}

/// What `check_access` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessReport {
    /// `"ssws"` or `"oauth"`.
    pub auth: &'static str,
    /// Users on the first page read (at most 200).
    pub users_on_first_page: usize,
    /// OAuth: the scopes Okta granted.
    pub granted_scopes: Option<Vec<String>>,
    /// OAuth: the app requires DPoP and hrsync binds its tokens with DPoP proofs.
    pub dpop: bool,
    /// SSWS: the login of the token's own user.
    pub token_user_login: Option<String>,
    /// SSWS: the admin role types of the token's own user (`SUPER_ADMIN`, …).
    pub roles: Option<Vec<String>>,
    /// Whether hrsync can write.
    pub write: WriteAccess,
    /// Things to look at that do not stop a run.
    pub warnings: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Me {
    id: String,
    #[serde(default)]
    profile: serde_json::Map<String, serde_json::Value>,
}

#[derive(serde::Deserialize)]
struct Role {
    #[serde(rename = "type")]
    kind: String,
}

/// Admin roles that may create, update and (de)activate users in the whole org.
const WRITE_ROLES: [&str; 3] = ["SUPER_ADMIN", "ORG_ADMIN", "USER_ADMIN"];

/// Checks what the configured credentials can do. Errors only when even reading users fails
/// (with the error saying why); everything else lands in the report.
pub async fn check_access(
    client: &OktaClient,
    service_account_login: Option<&str>,
) -> Result<AccessReport, Error> {
    let mut first = client.url("api/v1/users")?;
    first.query_pairs_mut().append_pair("limit", "200");
    let page = get_json::<Vec<serde_json::Value>>(client, first, "list users").await?;
    let mut report = AccessReport {
        auth: if client.auth.is_oauth() {
            "oauth"
        } else {
            "ssws"
        },
        users_on_first_page: page.len(),
        granted_scopes: None,
        dpop: false,
        token_user_login: None,
        roles: None,
        write: WriteAccess::Unknown("not checked".to_owned()),
        warnings: Vec::new(),
    };
    if client.auth.is_oauth() {
        let scopes = client
            .auth
            .granted_scopes(&client.http, &client.counters)
            .await?
            .unwrap_or_default();
        report.write = if scopes.iter().any(|s| s == "okta.users.manage") {
            WriteAccess::Yes
        } else {
            WriteAccess::No(
                "the OAuth app was not granted okta.users.manage: it can read users but cannot \
                 create, update, activate or deactivate them; fix: grant the scope to the app \
                 and add it to okta.oauth.scopes"
                    .to_owned(),
            )
        };
        report.granted_scopes = Some(scopes);
        report.dpop = client.uses_dpop();
        if service_account_login.is_some() {
            report.warnings.push(
                "okta.service_account_login is set, but an OAuth service app has no user of its \
                 own: make sure it names the admin account you want protected"
                    .to_owned(),
            );
        }
        report.warnings.push(
            "scopes are granted, but the app's admin role decides what it may change: make \
             sure the app is assigned a role that can manage users"
                .to_owned(),
        );
        return Ok(report);
    }
    check_ssws(client, service_account_login, &mut report).await;
    Ok(report)
}

async fn check_ssws(client: &OktaClient, service_login: Option<&str>, report: &mut AccessReport) {
    let me = match client.url("api/v1/users/me") {
        Ok(url) => get_json::<Me>(client, url, "read its own user").await,
        Err(e) => Err(e),
    };
    let me = match me {
        Ok(me) => me,
        Err(e) => {
            report.write = WriteAccess::Unknown(format!(
                "could not read the token's own user (/api/v1/users/me): {}; fix: make sure \
                 the token's user has an admin role that can create, update, activate and \
                 deactivate users",
                crate::errors::describe(&e)
            ));
            return;
        }
    };
    let login = me
        .profile
        .get("login")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    match (service_login, login.as_deref()) {
        (Some(wanted), Some(actual)) if !wanted.eq_ignore_ascii_case(actual) => {
            report.warnings.push(format!(
                "okta.service_account_login is {wanted:?}, but the API token belongs to \
                 {actual:?}: hrsync protects the configured login from deactivation, so the \
                 token's real owner could be deactivated (which revokes the token)"
            ));
        }
        (None, Some(actual)) => report.warnings.push(format!(
            "okta.service_account_login is not set; set it to {actual:?} (the token's own \
             user) so hrsync never deactivates it"
        )),
        _ => {}
    }
    report.token_user_login = login;
    let roles = client
        .url(&format!("api/v1/users/{}/roles", me.id))
        .map(|u| get_json::<Vec<Role>>(client, u, "read its admin roles"));
    let roles = match roles {
        Ok(fut) => fut.await,
        Err(e) => Err(e),
    };
    match roles {
        Ok(roles) => {
            let kinds: Vec<String> = roles.into_iter().map(|r| r.kind).collect();
            report.write = write_access_of_roles(&kinds);
            report.roles = Some(kinds);
        }
        Err(e) => {
            report.write = WriteAccess::Unknown(format!(
                "could not read the admin roles of the token's user: {e}; fix: make sure its \
                 role can create, update, activate and deactivate users"
            ));
        }
    }
}

/// Whether a set of admin role types can write users.
pub fn write_access_of_roles(kinds: &[String]) -> WriteAccess {
    if kinds.iter().any(|k| WRITE_ROLES.contains(&k.as_str())) {
        return WriteAccess::Yes;
    }
    if kinds.iter().any(|k| k == "CUSTOM") {
        return WriteAccess::Unknown(
            "the token's user has a custom admin role; fix: make sure it grants creating and \
             editing users and their lifecycle (activate, deactivate, suspend)"
                .to_owned(),
        );
    }
    let held = if kinds.is_empty() {
        "no admin role".to_owned()
    } else {
        kinds.join(", ")
    };
    WriteAccess::No(format!(
        "the token's user has {held}: it can read users but cannot create, update, activate or \
         deactivate them; fix: give it the Organization Administrator role (or Group \
         Administrator over the managed users, or a custom role that manages users)"
    ))
}

async fn get_json<T: serde::de::DeserializeOwned>(
    client: &OktaClient,
    url: url::Url,
    operation: &'static str,
) -> Result<T, Error> {
    let call = Call {
        method: Method::GET,
        url,
        class: EndpointClass::Other,
        body: None,
        operation,
    };
    let reply = client.execute(&call).await.result?;
    serde_json::from_slice(&reply.body).map_err(|e| Error::Decode(format!("{operation}: {e}")))
}

#[cfg(test)]
mod tests;
