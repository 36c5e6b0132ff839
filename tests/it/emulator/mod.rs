//! Tests of the Okta emulator over real HTTP on 127.0.0.1.

mod lifecycle;
mod paging;
mod search;
mod support;
mod users;
