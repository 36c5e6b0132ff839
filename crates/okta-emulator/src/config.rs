//! The emulator's configuration: API tokens, OAuth clients, the custom profile schema, rate
//! limits and fault switches. Plain data (serde, so `PUT /__emulator/config` can patch it);
//! it does no I/O. Token values are redacted from `Debug`.

use super::schema::CustomProperty;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// An SSWS API token the emulator accepts.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiToken {
    /// The token text (`Authorization: SSWS <token>`).
    pub token: String,
    /// A read-only token may only `GET`; writes answer 403 E0000006.
    pub read_only: bool,
    /// This token's share of each rate-limit bucket; `None` uses [`EmulatorConfig::share`].
    pub share: Option<f64>,
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiToken")
            .field("token", &"[redacted]")
            .field("read_only", &self.read_only)
            .field("share", &self.share)
            .finish()
    }
}

/// An OAuth 2.0 service app registered with the emulated org authorization server.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OAuthClient {
    /// The app's client id (`iss` and `sub` of its client assertions).
    pub client_id: String,
    /// The app's public key in PEM (`-----BEGIN PUBLIC KEY-----`, RSA or EC).
    pub public_key_pem: String,
    /// Scopes granted to the app; a token request for anything else is `invalid_scope`.
    pub scopes: Vec<String>,
    /// This app's share of each rate-limit bucket; `None` uses [`EmulatorConfig::share`].
    pub share: Option<f64>,
}

/// Per-window request limits of the org (before the per-principal share is applied).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimits {
    /// `GET /api/v1/users` (list/search), `POST /api/v1/users` (create) and the lifecycle
    /// operations, which share this bucket as observed in real orgs.
    pub list_create: u32,
    /// `GET /api/v1/users/{idOrLogin}`.
    pub get_user: u32,
    /// `POST`/`PUT`/`DELETE /api/v1/users/{id}`.
    pub update_delete: u32,
    /// Everything else (`/oauth2/v1/token`, `/api/v1/users/me`, roles).
    pub other: u32,
    /// The window length in milliseconds (Okta: about 60 s; shorten it in tests).
    pub window_ms: u64,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            list_create: 12_000,
            get_user: 20_000,
            update_delete: 12_000,
            other: 12_000,
            window_ms: 60_000,
        }
    }
}

impl RateLimits {
    /// Every bucket set to `per_window` (the binary's `--rate-limit-per-minute`).
    pub fn uniform(per_window: u32) -> Self {
        Self {
            list_create: per_window,
            get_user: per_window,
            update_delete: per_window,
            other: per_window,
            ..Self::default()
        }
    }
}

/// Failure injection and timing. Every probability is in `0.0..=1.0`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Fixed delay added to every API response, in milliseconds.
    pub latency_ms: u64,
    /// Extra random delay in `0..=jitter_ms` milliseconds.
    pub jitter_ms: u64,
    /// Share of API requests answered 500 E0000009 or 503 E0000010 without doing anything.
    pub error_rate: f64,
    /// Share of API requests whose connection is closed without a response, before any change.
    pub drop_rate: f64,
    /// Share of write requests applied and *then* answered by closing the connection.
    pub drop_after_rate: f64,
    /// The next this-many API requests are answered 429 E0000047 (a forced burst).
    pub forced_429: u32,
    /// Activation (`lifecycle/activate`) completes after this many milliseconds; meanwhile the
    /// user shows `transitioningToStatus` and writes to it answer 409 E0000112.
    pub activation_delay_ms: u64,
    /// `search`/`filter` results lag behind writes by this many milliseconds (Okta's index is
    /// eventually consistent for both): a user changed within the lag still shows its
    /// previous state there, or is missing if new, while get-by-id is fresh. Users present
    /// when the lag is switched on (and seeded users) are visible at once.
    pub search_lag_ms: u64,
    /// Listings with a `filter` or `search` leave out DEPROVISIONED users (an index that
    /// lost them for a while): the listing of deactivated users comes back empty.
    pub hide_deprovisioned_in_searches: bool,
    /// Every profile update answers 403 E0000023, as in an org where another system (an HR
    /// app set as profile source) masters the profiles of users whose provider says `OKTA`.
    /// Users whose `credentials.provider.type` is `ACTIVE_DIRECTORY`, `LDAP` or `IMPORT`
    /// always get that answer.
    pub profiles_mastered_elsewhere: bool,
}

/// Everything the emulator can be configured with. `Default` gives one SSWS token
/// `test-token`, Okta's 50 % share and limits large enough that ordinary tests never hit them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmulatorConfig {
    /// Accepted SSWS tokens; the first is [`super::EmulatorHandle::token`].
    pub tokens: Vec<ApiToken>,
    /// OAuth service apps allowed to use `POST /oauth2/v1/token`.
    pub oauth_clients: Vec<OAuthClient>,
    /// Client ids of the apps that require DPoP: their token requests without a proof get
    /// `invalid_dpop_proof` (a proof is honoured for any app).
    pub dpop_required_clients: Vec<String>,
    /// Lifetime of issued OAuth access tokens, in seconds (Okta: fixed at 3600).
    pub oauth_token_lifetime_secs: u64,
    /// Custom profile attributes declared in the user schema as plain strings (the
    /// `--custom-attribute` shortcut).
    pub custom_attributes: Vec<String>,
    /// Typed custom properties declared in the user schema (type, lengths, `unique`, …).
    /// With `custom_attributes` these seed the schema at start; the schema API changes it
    /// from then on, and a configuration change only adds properties the schema lacks.
    pub custom_properties: BTreeMap<String, CustomProperty>,
    /// Default Okta login rule: the login must look like an email address and be 5–100
    /// characters. `false` models the `.+` pattern (any non-empty value).
    pub login_must_be_email: bool,
    /// Org rate limits per window.
    pub limits: RateLimits,
    /// Default share of each bucket one token/app may use (Okta: 0.5).
    pub share: f64,
    /// Org-wide limit of in-flight API requests (Okta: 75).
    pub concurrency: u32,
    /// Failure injection.
    pub faults: Faults,
    /// Login of the user that owns the SSWS tokens (`GET /api/v1/users/me`), if any.
    pub token_owner_login: Option<String>,
    /// Admin role types of the token owner (`GET /api/v1/users/{id}/roles`), e.g.
    /// `SUPER_ADMIN`. A read-only token's caller sees `READ_ONLY_ADMIN` instead.
    pub token_owner_roles: Vec<String>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self::with_token("test-token")
    }
}

impl EmulatorConfig {
    /// The default configuration with a single SSWS token.
    pub fn with_token(token: &str) -> Self {
        Self {
            tokens: vec![ApiToken {
                token: token.to_owned(),
                ..ApiToken::default()
            }],
            oauth_clients: Vec::new(),
            dpop_required_clients: Vec::new(),
            oauth_token_lifetime_secs: 3600,
            custom_attributes: Vec::new(),
            custom_properties: BTreeMap::new(),
            login_must_be_email: true,
            limits: RateLimits::default(),
            share: 0.5,
            concurrency: 75,
            faults: Faults::default(),
            token_owner_login: None,
            token_owner_roles: vec!["SUPER_ADMIN".into()],
        }
    }

    /// Adds another SSWS token.
    pub fn token(mut self, token: ApiToken) -> Self {
        self.tokens.push(token);
        self
    }

    /// Registers an OAuth service app.
    pub fn oauth_client(mut self, client: OAuthClient) -> Self {
        self.oauth_clients.push(client);
        self
    }

    /// Declares custom profile attributes.
    pub fn custom_attributes<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.custom_attributes
            .extend(names.into_iter().map(Into::into));
        self
    }

    /// Declares a typed custom property (e.g. `CustomProperty::string().unique()`).
    pub fn custom_property(mut self, name: &str, property: CustomProperty) -> Self {
        self.custom_properties.insert(name.to_owned(), property);
        self
    }

    /// Makes `search`/`filter` lag behind writes by `ms` milliseconds.
    pub fn search_lag_ms(mut self, ms: u64) -> Self {
        self.faults.search_lag_ms = ms;
        self
    }

    /// Every custom property the configuration declares: `custom_attributes` as strings,
    /// then `custom_properties` (which win for a name in both).
    pub fn schema_properties(&self) -> BTreeMap<String, CustomProperty> {
        let mut all: BTreeMap<String, CustomProperty> = self
            .custom_attributes
            .iter()
            .map(|n| (n.clone(), CustomProperty::string()))
            .collect();
        all.extend(
            self.custom_properties
                .iter()
                .map(|(n, p)| (n.clone(), p.clone())),
        );
        all
    }

    /// Replaces the rate limits.
    pub fn limits(mut self, limits: RateLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the default per-principal share.
    pub fn share(mut self, share: f64) -> Self {
        self.share = share;
        self
    }

    /// Sets the org concurrency limit.
    pub fn concurrency(mut self, concurrency: u32) -> Self {
        self.concurrency = concurrency;
        self
    }

    /// Replaces the fault switches.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }
}
