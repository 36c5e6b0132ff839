//! What the planner may assume about the Okta users it is handed: every user of the org, just
//! listed (a full pass), or a cache refreshed with only what changed (an incremental pass).
//! Plain data; the caller (which reads Okta) says which, the planner only obeys it.

use serde::Serialize;

/// How complete the Okta users given to the planner are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pass {
    /// Every user of the org was just listed: a user missing from the list is gone, and an
    /// anchored user whose employee is gone is an orphan the policy may act on.
    #[default]
    Full,
    /// A cache refreshed with the users changed since the last read: a user deleted by hand
    /// may still be in it, and one created by hand during the search index's lag may not be.
    /// Nothing that depends on a user's absence is decided: orphans are only reported, and
    /// their deactivation waits for the next full pass. (Creates are checked against Okta by
    /// the caller before they are applied.)
    Incremental,
}

impl Pass {
    /// The stable name (`full`, `incremental`), for the journal, `history` and `/metrics`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Incremental => "incremental",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Full, Self::Incremental]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

impl std::fmt::Display for Pass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
