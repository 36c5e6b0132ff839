//! Tests of the Okta emulator over real HTTP on 127.0.0.1.

mod control;
mod dpop;
mod faults;
mod lifecycle;
mod oauth;
mod paging;
mod ratelimit;
mod schema;
mod search;
mod support;
mod users;
