//! A Cloud site's cloud id, and the API gateway context built from it (for scoped API tokens).
//!
//! Scoped API tokens work only through the gateway, `https://api.atlassian.com/ex/confluence/
//! {cloudId}` (see `base_url.rs` for the sources). A person knows their site, not its cloud id;
//! Atlassian documents that `https://SITE/_edge/tenant_info` answers `{"cloudId":"…"}` to anyone,
//! without credentials ("How to find your Atlassian Cloud site's Cloud ID",
//! support.atlassian.com/jira/kb/retrieve-my-atlassian-sites-cloud-id). The answer is untrusted
//! like any other: it must be a JSON object whose `cloudId` is UUID-shaped, or it is refused with
//! the reason, before any URL is built from it.

use super::base_url::{is_cloud_id, site_gateway_context};
use super::{ApiError, Auth, Client, ClientConfig, RetryPolicy};
use serde::Deserialize;
use std::time::Duration;
use url::Url;

/// The endpoint's name in errors.
const TENANT_INFO: &str = "GET /_edge/tenant_info";

/// The answer of `/_edge/tenant_info` (other members, if any, are ignored).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TenantInfo {
    cloud_id: String,
}

/// Asks the site (`https://acme.atlassian.net/...`, any path) for its cloud id at
/// `/_edge/tenant_info` on its host, without credentials and without retries (15 s at most).
pub async fn find_cloud_id(site: &Url) -> Result<String, ApiError> {
    let mut config = ClientConfig::new(site.as_str(), Auth::Anonymous);
    config.retry = RetryPolicy::none();
    config.timeout = Duration::from_secs(15);
    let client = Client::new(config)?;
    let url = site
        .join("/_edge/tenant_info")
        .map_err(|e| ApiError::InvalidInput(format!("bad site URL: {e}")))?;
    let info: TenantInfo = client.get_url(TENANT_INFO, url).await?;
    if !is_cloud_id(&info.cloud_id) {
        return Err(ApiError::Decode {
            endpoint: TENANT_INFO.into(),
            field: "cloudId".into(),
            detail: format!(
                "`{}` is not a cloud id (a UUID)",
                crate::sanitize::cap(&info.cloud_id, 60)
            ),
        });
    }
    Ok(info.cloud_id.to_ascii_lowercase())
}

/// Where a site's API calls go for a scoped token: the cloud id (`cloud_id` when given, checked;
/// else asked of the site) and the gateway context built from it
/// ([`site_gateway_context`]: `root`, else the loopback site itself, else api.atlassian.com).
pub async fn gateway_for_site(
    site: &Url,
    cloud_id: Option<&str>,
    root: Option<&Url>,
) -> Result<(String, Url), ApiError> {
    let cloud_id = match cloud_id {
        Some(id) => id.trim().to_ascii_lowercase(),
        None => find_cloud_id(site).await?,
    };
    let context = site_gateway_context(site, root, &cloud_id)?;
    Ok((cloud_id, context))
}
