//! The Okta part of `hrsync check`: reads one page of users, then says whether the
//! credentials can write (OAuth: granted scopes; SSWS: the token user's admin roles; a problem
//! with its fix when they cannot) and warns when `okta.service_account_login` is not the
//! token's own user. It reads only, never writes. With the credentials good,
//! [`identity`] lists every user and plans once (changing nothing) to show the identity
//! conflicts a run would leave for a person.

use super::check_verdict::{Findings, Problem};
use crate::config::Config;
use crate::errors::describe;
use crate::okta::{OktaClient, OktaRead, ReadOnly, WriteAccess, check_access};
use crate::plan::FindingKind;
use crate::source::Snapshot;
use std::io::Write;

/// Prints the Okta section, recording in `findings` what stops hrsync from running with these
/// credentials (and the warnings printed); returns whether the credentials can read users.
pub async fn report(
    config: &Config,
    out: &mut dyn Write,
    findings: &mut Findings,
) -> anyhow::Result<bool> {
    writeln!(out, "\nOkta ({}):", config.okta.org_url)?;
    let client = match OktaClient::new(&config.okta) {
        Ok(c) => c,
        Err(e) => {
            writeln!(out, "  cannot set up the client: {e}")?;
            findings.problem(Problem::new(
                format!("cannot set up the Okta client: {e}"),
                "correct the [okta] section (org_url, and the token or the OAuth key)",
            ));
            return Ok(false);
        }
    };
    let access = match check_access(&client, config.okta.service_account_login.as_deref()).await {
        Ok(a) => a,
        Err(e) => {
            writeln!(out, "  cannot read users: {}", describe(&e))?;
            let fix = if e.is_fatal() {
                "fix the credentials or the admin role before the first run"
            } else {
                "check that okta.org_url is right and reachable from this host (DNS, proxy, firewall), then run hrsync check again"
            };
            findings.problem(Problem::new(
                format!(
                    "Okta cannot be read with these credentials: {}",
                    describe(&e)
                ),
                fix,
            ));
            return Ok(false);
        }
    };
    writeln!(
        out,
        "  read {} users on the first page ({} auth)",
        access.users_on_first_page, access.auth
    )?;
    if let Some(scopes) = &access.granted_scopes {
        writeln!(
            out,
            "  granted scopes: {}{}",
            scopes.join(" "),
            if access.dpop { " (DPoP-bound)" } else { "" }
        )?;
    }
    if let Some(login) = &access.token_user_login {
        writeln!(out, "  token user: {login}")?;
    }
    if let Some(roles) = &access.roles {
        writeln!(
            out,
            "  admin roles: {}",
            if roles.is_empty() {
                "none".to_owned()
            } else {
                roles.join(", ")
            }
        )?;
    }
    match &access.write {
        WriteAccess::Yes => writeln!(
            out,
            "  can write: yes (create, update, activate, deactivate)"
        )?,
        WriteAccess::No(why) => {
            writeln!(out, "  can write: NO: {why}")?;
            let (reason, fix) = access.write.reason_and_fix().unwrap_or((why, None));
            findings.problem(Problem::new(
                format!("the Okta credentials cannot write users: {reason}"),
                fix.unwrap_or("give the credentials a role that can create, update, activate and deactivate users"),
            ));
        }
        WriteAccess::Unknown(why) => {
            writeln!(out, "  warning: can write: unknown: {why}")?;
            findings.warnings(1);
        }
    }
    for warning in &access.warnings {
        writeln!(out, "  warning: {warning}")?;
    }
    findings.warnings(access.warnings.len());
    Ok(true)
}

/// Lists every Okta user and plans as of now (nothing is written): prints how many users hrsync
/// manages and every conflict (two live accounts for one person, a login held by an unmanaged
/// user). Returns the number of conflicts; a listing error is printed, not returned.
pub async fn identity(
    config: &Config,
    snapshot: &Snapshot,
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    writeln!(out, "\nIdentity:")?;
    let users = match OktaClient::new(&config.okta) {
        Ok(client) => ReadOnly(client).list_users().await,
        Err(e) => Err(e),
    };
    let users = match users {
        Ok(users) => users,
        Err(e) => {
            writeln!(out, "  cannot list the Okta users: {}", describe(&e))?;
            return Ok(0);
        }
    };
    let policy = config.policy();
    let plan = crate::plan::plan(snapshot, &users, &policy, chrono::Utc::now());
    let conflicts: Vec<_> = plan
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Conflict)
        .collect();
    writeln!(
        out,
        "  {} Okta users, {} carry {} (managed); {} conflicts",
        users.len(),
        plan.managed_users,
        config.okta.anchor_attribute,
        conflicts.len()
    )?;
    for f in &conflicts {
        writeln!(out, "  conflict: {}", f.detail)?;
    }
    Ok(conflicts.len())
}
