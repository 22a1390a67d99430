//! The Confluence client: one typed method per operation of the v1 user API contract.
//!
//! `api/` knows HTTP and the Confluence contract and nothing of terminals. Every method returns a
//! typed result or an [`ApiError`]; list operations return a [`Paged`] that can be read a page at a
//! time, as a stream, or whole.
//!
//! `client.rs` holds the core (`send`, decoding, status → error); `auth.rs`, `retry.rs`,
//! `base_url.rs`, `redirect.rs`, `body.rs` and `paging.rs` hold the rules it applies, `waits.rs` what
//! it is waiting for, for people to see; `model.rs`
//! the wire types; each other file one endpoint group. The names callers use are re-exported
//! here, so a caller writes `api::Client`, `api::Auth` or `api::Paging` whichever file they live
//! in. Nothing in `api/` imports ratatui, the app state or the config.

pub mod auth;
pub mod base_url;
pub mod body;
pub mod bulk;
pub mod client;
pub mod concurrency;
pub mod email;
pub mod error;
pub mod group;
mod link;
pub mod memory;
pub mod model;
pub mod page;
pub mod paging;
pub mod property;
mod redirect;
pub mod retry;
pub mod space;
pub mod tenant;
pub mod users;
pub mod waits;
pub mod watch;

pub use auth::{Auth, Secret};
pub use base_url::{
    gateway_cloud_id, gateway_context, is_cloud_id, is_loopback_host, parse_base_url,
    parse_gateway_root, site_gateway_context, GATEWAY_ROOT,
};
pub use body::MAX_BODY_BYTES;
pub use bulk::{BulkUsers, ONE_BY_ONE_CONCURRENCY};
pub use client::{Client, ClientConfig, MAX_URL_BYTES};
pub use concurrency::AdaptiveLimit;
pub use error::{ApiError, Waited};
pub use group::GroupAccess;
pub use memory::{BulkForm, SiteMemory, SpacesApi};
pub use paging::{Paged, Paging};
pub use property::{valid_property_key, PROPERTY_LIST_MAX};
pub use retry::RetryPolicy;
pub use space::SpaceFilter;
pub use tenant::{find_cloud_id, gateway_for_site};
pub use users::{
    cql_quote, fullname_cql, verify_credentials, SitePermissionFilter, UserExpand, BULK_MAX,
};
pub use waits::{Wait, WaitKind};
pub use watch::WatchTarget;
