//! The Confluence client: one typed method per operation of the v1 user API contract.
//!
//! `api/` knows HTTP and the Confluence contract and nothing of terminals. Every method returns a
//! typed result or an [`ApiError`]; list operations return a [`Paged`] that can be read a page at a
//! time, as a stream, or whole.

pub mod client;
pub mod email;
pub mod error;
pub mod group;
pub mod model;
pub mod property;
pub mod space;
pub mod users;
pub mod watch;

pub use client::{
    is_loopback_host, parse_base_url, Auth, Client, ClientConfig, Paged, Paging, RateLimit,
    RetryPolicy, Secret,
};
pub use error::ApiError;
pub use group::GroupAccess;
pub use property::{valid_property_key, PROPERTY_LIST_MAX};
pub use space::SpaceFilter;
pub use users::{cql_quote, fullname_cql, SitePermissionFilter, UserExpand, BULK_MAX};
pub use watch::WatchTarget;
