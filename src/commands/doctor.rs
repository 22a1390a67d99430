//! `confdir doctor`: explains, step by step, what confdir would do and where it stops.
//!
//! The steps: the config file (found, valid), the chosen site and why (and how API calls reach
//! it: the site URL itself, or the API gateway with the site's cloud id), the token source and why
//! every earlier source was skipped, reachability, the identity behind the credentials, whether
//! the email API is available, whether you are an administrator, and the rate-limit headers the
//! server sent. A failed step is reported and the steps that depend on it are left out. The
//! report never contains the token.

use super::output::{clean, Out};
use super::{api_exit_code, EXIT_API, EXIT_AUTH};
use crate::api::model::User;
use crate::api::{ApiError, Auth, Client, UserExpand};
use crate::config::{
    self, choose_site, find_token, AuthKind, ConfigError, Environment, Overrides, SiteChoice,
    TokenAttempt,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The whole report, as printed by `--json`.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// True when every step that ran succeeded.
    pub ok: bool,
    /// The config file.
    pub config: ConfigStep,
    /// The chosen site, if one could be chosen.
    pub site: Option<SiteStep>,
    /// The credential chain.
    pub token: Option<TokenStep>,
    /// Whether the server answered.
    pub reachable: Option<ReachStep>,
    /// Who the credentials belong to.
    pub identity: Option<IdentityStep>,
    /// Whether `/user/email` works for these credentials.
    pub email_api: Option<Availability>,
    /// Whether the account is a Confluence administrator.
    pub administrator: Option<Availability>,
    /// Rate-limit headers seen on the answers (`Retry-After`, `X-RateLimit-*`).
    pub rate_limit_headers: BTreeMap<String, String>,
    /// The first problem, in one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    #[serde(skip)]
    exit: i32,
}

/// The config file step.
#[derive(Debug, Default, Serialize)]
pub struct ConfigStep {
    /// Where the file is or would be.
    pub path: Option<String>,
    /// Whether it exists.
    pub found: bool,
    /// Whether it parsed and passed the checks (true when absent: defaults apply).
    pub valid: bool,
    /// What is wrong with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The sites it names.
    pub sites: Vec<String>,
}

/// The site step.
#[derive(Debug, Serialize)]
pub struct SiteStep {
    /// The name in the file, or the host of an ad-hoc URL.
    pub name: String,
    /// Why this site was chosen.
    pub chosen_by: String,
    /// The site's context URL (what names the site).
    pub url: String,
    /// How API calls reach the site: `site` (the site URL itself) or `gateway` (the API gateway,
    /// with the site's cloud id).
    pub form: String,
    /// Why that form, in one sentence.
    pub why: String,
    /// The context URL API requests go to.
    pub api_url: String,
    /// Where web links open (the site, never the gateway); `None` when only the gateway is known.
    pub web_url: Option<String>,
    /// The site's cloud id, when API calls go through the gateway.
    pub cloud_id: Option<String>,
    /// `basic` or `bearer`.
    pub auth: String,
    /// The account email, if any.
    pub email: Option<String>,
}

/// The token step.
#[derive(Debug, Serialize)]
pub struct TokenStep {
    /// The source that supplied the token.
    pub source: Option<config::TokenSource>,
    /// Every source tried, in order, with why it was skipped.
    pub attempts: Vec<TokenAttempt>,
    /// A configured source that failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The reachability step.
#[derive(Debug, Serialize)]
pub struct ReachStep {
    /// Whether an HTTP answer came back at all.
    pub ok: bool,
    /// Its status.
    pub status: Option<u16>,
    /// How long it took.
    pub elapsed_ms: u128,
    /// Why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The identity step.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityStep {
    /// Whether `/user/current` accepted the credentials.
    pub ok: bool,
    /// The account behind the token.
    pub account_id: Option<String>,
    /// The name to recognise it by.
    pub display_name: Option<String>,
    /// The address, when the profile shows it.
    pub email: Option<String>,
    /// The site's web context as the answer names it (`_links.base`); the stored site wins.
    pub links_base: Option<String>,
    /// Why `/user/current` failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A yes/no/unknown answer with the reason.
#[derive(Debug, Serialize)]
pub struct Availability {
    /// `None` when it could not be determined.
    pub available: Option<bool>,
    /// Why.
    pub detail: String,
}

/// Runs the checks, prints the report, and returns the exit code: 0 when all is well, 2 for a
/// configuration problem, 3 for credentials, 1 for the server.
pub async fn run(overrides: &Overrides, json: bool, out: &mut Out) -> i32 {
    let report = check(overrides, &Environment::from_process()).await;
    if json {
        out.json(&report);
    } else {
        print(&report, out);
    }
    report.exit
}

impl Report {
    /// Marks the report failed: the exit code and the problem line are those of the latest
    /// failure.
    fn fail(&mut self, code: i32, problem: String) {
        self.ok = false;
        self.exit = code;
        self.problem = Some(clean(&problem));
    }
}

/// Runs every step and gathers the report (no printing).
pub async fn check(overrides: &Overrides, env: &Environment) -> Report {
    let mut report = Report {
        ok: true,
        ..Report::default()
    };
    let Some(choice) = check_config_and_site(&mut report, overrides, env) else {
        return report;
    };
    let Some(auth) = check_token(&mut report, &choice, env) else {
        return report;
    };
    let Some(client) = check_reachable(&mut report, &choice, &auth).await else {
        return report;
    };
    if matches!(auth, Auth::Anonymous) {
        return report;
    }
    if let Some(me) = check_identity(&mut report, &client).await {
        check_account(&mut report, &client, &me).await;
    }
    report
}

/// The config file and the site chosen from it (and the flags and environment). `None` when
/// either step failed; the report says why.
fn check_config_and_site(
    report: &mut Report,
    overrides: &Overrides,
    env: &Environment,
) -> Option<SiteChoice> {
    let path = overrides.config_path(env);
    report.config.path = path.as_ref().map(|p| p.display().to_string());
    let cfg = match config::load(path.as_deref()) {
        Ok(cfg) => {
            report.config.found = cfg.found;
            report.config.valid = true;
            report.config.sites = cfg.site_names();
            cfg
        }
        Err(e) => {
            report.config.found = path.as_ref().is_some_and(|p| p.exists());
            report.config.error = Some(clean(&e.to_string()));
            report.fail(e.exit_code(), e.to_string());
            return None;
        }
    };

    let choice = match choose_site(overrides, env, &cfg) {
        Ok(choice) => choice,
        Err(e) => {
            report.fail(e.exit_code(), e.to_string());
            return None;
        }
    };
    let (form, why) = route_reason(&choice);
    report.site = Some(SiteStep {
        name: clean(&choice.name),
        chosen_by: clean(&choice.chosen_by),
        url: choice.url.to_string(),
        form: form.into(),
        why,
        api_url: choice.api_url.to_string(),
        web_url: choice.web_url.as_ref().map(|u| u.to_string()),
        cloud_id: choice.cloud_id.clone(),
        auth: choice.auth.as_str().into(),
        email: choice.email.clone(),
    });
    Some(choice)
}

/// Which form the API calls take (`site` or `gateway`) and why.
fn route_reason(choice: &SiteChoice) -> (&'static str, String) {
    let gateway_host = &choice.api_url[url::Position::BeforeHost..url::Position::AfterPort];
    match (choice.via_gateway(), choice.web_url.is_some()) {
        (true, true) => (
            "gateway",
            format!(
                "scoped token: API calls go through the API gateway {gateway_host}, as Atlassian requires for tokens with scopes; web links open on the site"
            ),
        ),
        (true, false) => (
            "gateway",
            "the URL is the API gateway form (scoped tokens): API calls go to it, but the site's web address is not known, so nothing can be opened in a browser; `confdir login --scoped --url SITE` keeps both".into(),
        ),
        (false, _) => (
            "site",
            "API calls go to the site URL (a classic API token, a Data Center token, or none); a token created with scopes needs the gateway: `confdir login --scoped`".into(),
        ),
    }
}

/// The credential chain, and the credentials it gives. `None` when a configured source failed;
/// no token (or no email for Basic) is a failure too, but the server is still probed
/// anonymously, so this answers [`Auth::Anonymous`] then.
fn check_token(report: &mut Report, choice: &SiteChoice, env: &Environment) -> Option<Auth> {
    let token = match find_token(choice, env) {
        Ok(found) => {
            report.token = Some(TokenStep {
                source: found.source(),
                attempts: found.attempts.clone(),
                error: None,
            });
            found.token
        }
        Err(e) => {
            report.token = Some(TokenStep {
                source: None,
                attempts: Vec::new(),
                error: Some(clean(&e.to_string())),
            });
            report.fail(EXIT_AUTH, e.to_string());
            return None;
        }
    };
    Some(match (token, choice.auth, choice.email.clone()) {
        (None, _, _) => {
            let e = ConfigError::NoToken {
                site: choice.name.clone(),
                attempts: report
                    .token
                    .as_ref()
                    .map(|t| t.attempts.clone())
                    .unwrap_or_default(),
            };
            report.fail(EXIT_AUTH, e.to_string());
            Auth::Anonymous
        }
        (Some(token), AuthKind::Bearer, _) => Auth::Bearer { token },
        (Some(token), AuthKind::Basic, Some(email)) => Auth::Basic { email, token },
        (Some(_), AuthKind::Basic, None) => {
            let e = ConfigError::MissingEmail {
                site: choice.name.clone(),
            };
            report.fail(EXIT_AUTH, e.to_string());
            Auth::Anonymous
        }
    })
}

/// Builds the client (no retries, a 15 s timeout) and checks that the server answers at all,
/// recording the rate-limit headers of an authenticated call (where Cloud sends them). Any HTTP
/// answer, 401 included, means the server is there. `None` when it is not.
async fn check_reachable(report: &mut Report, choice: &SiteChoice, auth: &Auth) -> Option<Client> {
    let mut client_config = crate::api::ClientConfig::new(choice.api_url.as_str(), auth.clone());
    client_config.retry = crate::api::RetryPolicy::none();
    client_config.timeout = Duration::from_secs(15);
    let client = match Client::new(client_config) {
        Ok(c) => c,
        Err(e) => {
            report.fail(api_exit_code(&e), e.to_string());
            return None;
        }
    };

    let started = Instant::now();
    let reach = probe(&choice.api_url, auth, &mut report.rate_limit_headers).await;
    match reach {
        Ok(status) => {
            report.reachable = Some(ReachStep {
                ok: true,
                status: Some(status),
                elapsed_ms: started.elapsed().as_millis(),
                error: None,
            });
            Some(client)
        }
        Err(e) => {
            let step = ReachStep {
                ok: false,
                status: None,
                elapsed_ms: started.elapsed().as_millis(),
                error: Some(clean(&e)),
            };
            report.fail(EXIT_API, e);
            report.reachable = Some(step);
            None
        }
    }
}

/// Who the credentials belong to (`/user/current`). `None` when the call failed or the server
/// answered as an anonymous user.
async fn check_identity(report: &mut Report, client: &Client) -> Option<User> {
    let me = match client.current_user(&[UserExpand::Operations]).await {
        Ok(user) => {
            report.identity = Some(IdentityStep {
                ok: true,
                account_id: user.account_id.clone(),
                display_name: user.display_name.as_deref().map(clean),
                email: user.email.as_deref().map(clean),
                links_base: user.links.base.as_deref().map(clean),
                error: None,
            });
            user
        }
        Err(e) => {
            report.identity = Some(IdentityStep {
                ok: false,
                account_id: None,
                display_name: None,
                email: None,
                links_base: None,
                error: Some(clean(&e.to_string())),
            });
            report.fail(api_exit_code(&e), e.to_string());
            return None;
        }
    };
    // A Data Center site with anonymous access treats a wrong PAT as anonymous: 200, no id.
    if me.account_id.is_none() && me.username.is_none() {
        report.fail(
            EXIT_AUTH,
            "the server answered as an anonymous user: the token was ignored (a wrong Data Center PAT?)".into(),
        );
        return None;
    }
    Some(me)
}

/// What the account may do: whether `/user/email` answers, and whether it administers the site.
/// Neither is a failure; each is yes, no, or unknown with the reason.
async fn check_account(report: &mut Report, client: &Client, me: &User) {
    if let Some(id) = me.account_id.as_deref() {
        report.email_api = Some(match client.user_email(id).await {
            Ok(_) => Availability {
                available: Some(true),
                detail: "GET /user/email answers".into(),
            },
            Err(
                e @ (ApiError::BadRequest { .. }
                | ApiError::NotImplemented { .. }
                | ApiError::Forbidden { .. }
                | ApiError::Unauthorized { .. }
                | ApiError::NotFound { .. }),
            ) => Availability {
                available: Some(false),
                detail: clean(&e.to_string()),
            },
            Err(e) => Availability {
                available: None,
                detail: clean(&e.to_string()),
            },
        });
    }

    report.administrator = Some(match me.administers_site() {
        Some(admin) => Availability {
            available: Some(admin),
            detail: if admin {
                "`operations` include administer/application".into()
            } else {
                "`operations` do not include administer/application".into()
            },
        },
        None => Availability {
            available: None,
            detail: "the site did not send `operations` for the current user".into(),
        },
    });
}

/// Headers whose names say they are about rate limiting.
fn is_rate_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "retry-after" || n.starts_with("x-ratelimit") || n.starts_with("ratelimit")
}

/// GET `/rest/api/user/current` with the credentials (or `/user/anonymous` without any);
/// `Ok(status)` for any HTTP answer. Records the rate-limit headers.
async fn probe(
    context: &url::Url,
    auth: &Auth,
    headers: &mut BTreeMap<String, String>,
) -> Result<u16, String> {
    let mut config = crate::api::ClientConfig::new(context.as_str(), auth.clone());
    config.timeout = Duration::from_secs(15);
    config.retry = crate::api::RetryPolicy::none();
    let client = crate::api::Client::new(config).map_err(|e| e.to_string())?;
    let (status, all) = client.probe().await.map_err(|e| e.to_string())?;
    for (name, value) in all {
        if is_rate_header(&name) {
            headers.insert(name, clean(&value));
        }
    }
    Ok(status)
}

/// The site step: which site, how API calls reach it and why, where links open, and as whom.
fn print_site(site: &SiteStep, out: &mut Out) {
    out.line(format!(
        "[ok  ] site          {} — {} (chosen by {})",
        site.name, site.url, site.chosen_by
    ));
    out.line(format!("       API           {}: {}", site.form, site.why));
    out.line(format!("       API URL       {}", site.api_url));
    if let Some(id) = &site.cloud_id {
        out.line(format!("       cloud id      {id}"));
    }
    out.line(format!(
        "       web links     {}",
        site.web_url
            .as_deref()
            .unwrap_or("(unknown: only the API gateway is known)")
    ));
    out.line(format!(
        "       auth          {}{}",
        site.auth,
        site.email
            .as_deref()
            .map(|e| format!(" as {}", clean(e)))
            .unwrap_or_default()
    ));
}

fn print(report: &Report, out: &mut Out) {
    let ok = |b: bool| if b { "ok  " } else { "FAIL" };
    let c = &report.config;
    let path = c.path.as_deref().unwrap_or("(no config directory)");
    out.line(format!(
        "[{}] config file   {} {}",
        ok(c.valid),
        clean(path),
        if !c.found {
            "(not found: defaults and environment only)".to_string()
        } else if c.valid {
            format!("(valid, sites: {})", clean(&c.sites.join(", ")))
        } else {
            String::new()
        }
    ));
    if let Some(err) = &c.error {
        out.line(format!("       {err}"));
    }
    if let Some(site) = &report.site {
        print_site(site, out);
    }
    if let Some(token) = &report.token {
        out.line(format!(
            "[{}] token         {}",
            ok(token.source.is_some()),
            token
                .source
                .map(|s| format!("from {s}"))
                .unwrap_or_else(|| "none found".into())
        ));
        for a in &token.attempts {
            let mark = if a.used { "used   " } else { "skipped" };
            out.line(format!(
                "       {mark} {:<20} {}",
                a.source.to_string(),
                a.detail
            ));
        }
        if let Some(e) = &token.error {
            out.line(format!("       {e}"));
        }
    }
    if let Some(r) = &report.reachable {
        out.line(format!(
            "[{}] reachable     {}",
            ok(r.ok),
            match (&r.status, &r.error) {
                (Some(s), _) => format!("HTTP {s} in {} ms", r.elapsed_ms),
                (None, Some(e)) => e.clone(),
                _ => String::new(),
            }
        ));
    }
    if let Some(id) = &report.identity {
        out.line(format!(
            "[{}] identity      {}",
            ok(id.ok),
            if id.ok {
                format!(
                    "{} ({})",
                    id.display_name.as_deref().unwrap_or("?"),
                    id.account_id.as_deref().unwrap_or("?")
                )
            } else {
                id.error.clone().unwrap_or_default()
            }
        ));
        let web = report.site.as_ref().and_then(|s| s.web_url.as_deref());
        match (&id.links_base, web) {
            (Some(base), Some(web)) if base.trim_end_matches('/') != web.trim_end_matches('/') => {
                out.line(format!("       _links.base   {base} (links open on the stored site)"))
            }
            (Some(base), None) => out.line(format!(
                "       _links.base   {base}: `confdir login --scoped --url {base}` keeps it for links"
            )),
            _ => {}
        }
    }
    let avail = |a: &Availability| match a.available {
        Some(true) => "yes ",
        Some(false) => "no  ",
        None => "?   ",
    };
    if let Some(a) = &report.email_api {
        out.line(format!("[{}] email API     {}", avail(a), a.detail));
    }
    if let Some(a) = &report.administrator {
        out.line(format!("[{}] administrator {}", avail(a), a.detail));
    }
    if report.rate_limit_headers.is_empty() {
        if report.reachable.as_ref().is_some_and(|r| r.ok) {
            out.line("[ok  ] rate limits   no rate-limit headers seen");
        }
    } else {
        for (name, value) in &report.rate_limit_headers {
            out.line(format!("[info] rate limits   {name}: {value}"));
        }
    }
    if let Some(problem) = &report.problem {
        out.line(format!("problem: {problem}"));
    } else if report.ok {
        out.line("all checks passed");
    }
}
