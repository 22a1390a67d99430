//! `confdir directory sync` and the UI's `:sync`: every person of the site into the directory
//! cache, resumable, one engine for both.
//!
//! What Confluence Cloud allows, and where each fact comes from:
//! - `GET /wiki/rest/api/search/user` with `cql=type=user` "will return up to 10k users"
//!   (Atlassian's Confluence Cloud REST v1 spec, `searchUser`'s `cql` parameter, 2025; older
//!   copies said "all users"). So search reaches at most [`SEARCH_DEPTH`] people; past that a
//!   site's people are reached through its groups. `sitePermissionTypeFilter=all` is asked for,
//!   since the default (`none`) leaves guests out (same spec).
//! - Page sizes: search pages of [`SEARCH_PAGE`] (1,000; the spec only says "may be restricted
//!   by fixed system limits", and the server may send fewer: offsets advance by what arrived);
//!   `GET /group` and `GET /group/{id}/membersByGroupId` pages of 200, the documented maximum
//!   ("restricted by fixed system limit of 200"; the members endpoint refuses more).
//! - A site that refuses a deep search page (HTTP 400 past some offset) is treated as capping
//!   search there, like one that stops sending `next`.
//!
//! Strategy: search first (one request per 1,000 people); when it reached the cap (an answer
//! does not say that more people exist: Cloud's `totalSize` is not documented past the cap, and
//! the demo stops it there), or the server's `totalSize` says it has more than search returned,
//! list the groups and read every member page of each, de-duplicated by account id. People in no group beyond the search cap
//! cannot be reached by any API confdir may call; the summary says how many search could not
//! show.
//!
//! Requests go one at a time (decided: a sync is background work over many minutes on the
//! largest sites, and the client's rate-limit handling sits out any 429 and reports the wait;
//! one request in flight keeps a sync from competing with the user's own requests or tripping
//! the burst limit, and makes the position a single offset that resumes exactly).
//!
//! After every page the position is saved ([`checkpoint`]), so a stopped sync resumes without
//! asking for the pages it had. This module does not print, draw or decide when to run: callers
//! get each page's new people through a callback.

pub mod checkpoint;

use crate::api::model::User;
use crate::api::{ApiError, Client, Paging, SitePermissionFilter};
use checkpoint::Checkpoint;
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The most people `type=user` search returns on Cloud ("up to 10k users", Atlassian's spec).
pub const SEARCH_DEPTH: u64 = 10_000;
/// People asked for per search page.
pub const SEARCH_PAGE: u32 = 1_000;
/// Groups and members asked for per page: the documented maximum of both endpoints.
pub const GROUP_PAGE: u32 = 200;
/// The query that lists people.
pub const SEARCH_CQL: &str = "type=user";

/// How a sync reaches people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// `type=user` search, page by page.
    #[default]
    Search,
    /// Every group's members, page by page.
    Groups,
}

/// Where a sync stands between two pages: what the checkpoint saves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// The strategy under way.
    pub strategy: Strategy,
    /// The next search offset (people search has returned so far).
    pub search_start: u64,
    /// Search has ended (its last page, or its cap).
    pub search_done: bool,
    /// The server's `totalSize` for the search.
    pub search_total: Option<u64>,
    /// The site's group ids, once listed.
    pub groups: Option<Vec<String>>,
    /// Groups read to the end (an index into `groups`).
    pub group: usize,
    /// The next member offset within the group under way.
    pub member_start: u64,
    /// The largest group's `totalSize`: a lower bound of the site's people.
    pub largest_group: Option<u64>,
    /// Requests sent for this sync, over every run.
    pub requests: u64,
    /// Bytes of the people log that are whole (see [`checkpoint`]).
    pub people_bytes: u64,
}

/// How far a sync has come, after each page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Distinct people found so far (those of earlier runs included).
    pub people: usize,
    /// The people found by earlier runs of this sync, when it resumed.
    pub resumed: usize,
    /// The best estimate of how many people the site has, when the server has said.
    pub estimate: Option<u64>,
    /// The strategy under way.
    pub strategy: Strategy,
    /// Groups read to the end, and how many there are, during [`Strategy::Groups`].
    pub groups: Option<(usize, usize)>,
    /// Requests sent so far.
    pub requests: u64,
}

/// Why a sync stopped before the end; its position is saved, and the next run resumes.
#[derive(Debug, Clone)]
pub enum SyncError {
    /// A request failed (after the client's own retries).
    Api(ApiError),
    /// The checkpoint could not be read or written.
    Files(String),
    /// Another sync of the same site is running (it holds this lock file).
    Busy(std::path::PathBuf),
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncError::Api(e) => write!(f, "{e}"),
            SyncError::Files(e) => write!(f, "{e}"),
            SyncError::Busy(lock) => write!(
                f,
                "another directory sync of this site is running (it holds {}); let it finish, \
                 or stop it, and sync again",
                lock.display()
            ),
        }
    }
}

impl From<ApiError> for SyncError {
    fn from(e: ApiError) -> Self {
        SyncError::Api(e)
    }
}

/// One sync: the people found so far and where it stands.
pub struct Sync {
    client: Client,
    search_depth: u64,
    checkpoint: Option<Checkpoint>,
    position: Position,
    seen: HashSet<String>,
    people: Vec<User>,
    resumed: usize,
}

impl Sync {
    /// A sync of `client`'s site. With a `checkpoint`, an unfinished earlier sync is resumed
    /// (unless `restart`), and every page is recorded there; without one (tests, a site with no
    /// cache folder) nothing is saved.
    pub fn open(
        client: Client,
        checkpoint: Option<Checkpoint>,
        restart: bool,
    ) -> Result<Sync, SyncError> {
        let mut sync = Sync {
            client,
            search_depth: SEARCH_DEPTH,
            checkpoint,
            position: Position::default(),
            seen: HashSet::new(),
            people: Vec::new(),
            resumed: 0,
        };
        if let Some(cp) = sync.checkpoint.as_mut() {
            cp.lock().map_err(|e| match e {
                checkpoint::LockError::Busy(path) => SyncError::Busy(path),
                checkpoint::LockError::Files(e) => SyncError::Files(e),
            })?;
            let earlier = if restart {
                None
            } else {
                cp.load().map_err(SyncError::Files)?
            };
            match earlier {
                Some((position, people)) => {
                    sync.position = position;
                    sync.add(people);
                    sync.resumed = sync.people.len();
                }
                None => cp.reset().map_err(SyncError::Files)?,
            }
        }
        Ok(sync)
    }

    /// Sets the most people the site's search returns ([`SEARCH_DEPTH`] on Cloud): reaching it
    /// sends the sync through the groups. For servers that cap lower (tests).
    pub fn with_search_depth(mut self, depth: u64) -> Self {
        self.search_depth = depth.max(1);
        self
    }

    /// The people found so far, in the order found.
    pub fn people(&self) -> &[User] {
        &self.people
    }

    /// People found by earlier runs (0 for a fresh sync).
    pub fn resumed(&self) -> usize {
        self.resumed
    }

    /// Where the sync stands now.
    pub fn progress(&self) -> Progress {
        let p = &self.position;
        let estimate = match (p.search_total, p.largest_group) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
        .map(|e| e.max(self.people.len() as u64));
        Progress {
            people: self.people.len(),
            resumed: self.resumed,
            estimate,
            strategy: p.strategy,
            groups: p.groups.as_ref().map(|g| (p.group.min(g.len()), g.len())),
            requests: p.requests,
        }
    }

    /// How many people search returned (its offset reached), before it ended or hit the cap.
    pub fn search_reached(&self) -> u64 {
        self.position.search_start
    }

    /// Whether search could not show everyone (the site caps its depth).
    pub fn search_capped(&self) -> bool {
        self.position.strategy == Strategy::Groups
    }

    /// Runs to the end, calling `on_page` with the progress and the new people of every page.
    /// On an error the position is saved and the error returned; the next [`Sync::open`]
    /// resumes from it.
    pub async fn run(
        &mut self,
        mut on_page: impl FnMut(&Progress, &[User]),
    ) -> Result<(), SyncError> {
        if self.position.strategy == Strategy::Search && !self.position.search_done {
            self.search(&mut on_page).await?;
        }
        if self.position.strategy == Strategy::Search {
            let p = &self.position;
            let capped = p.search_start >= self.search_depth
                || p.search_total.is_some_and(|t| t > p.search_start);
            if !capped {
                return Ok(());
            }
            self.position.strategy = Strategy::Groups;
            self.record(&[])?;
        }
        self.groups(&mut on_page).await
    }

    /// The people found, in the order found, for the caller to save; the checkpoint stays until
    /// [`Sync::forget`], so a failure to save loses nothing.
    pub fn take_people(&mut self) -> Vec<User> {
        std::mem::take(&mut self.people)
    }

    /// Removes the checkpoint: the people are saved, the next sync starts afresh.
    pub fn forget(mut self) {
        if let Some(cp) = self.checkpoint.as_mut() {
            cp.clear();
        }
    }

    /// `type=user` search from the saved offset to its end or its cap.
    async fn search(
        &mut self,
        on_page: &mut impl FnMut(&Progress, &[User]),
    ) -> Result<(), SyncError> {
        let start = u32::try_from(self.position.search_start).unwrap_or(u32::MAX);
        let mut pages = self
            .client
            .search_users(
                SEARCH_CQL,
                Paging {
                    start,
                    limit: SEARCH_PAGE,
                },
                SitePermissionFilter::All,
                &[],
            )
            .pages();
        while let Some(page) = pages.next().await {
            let page = match page {
                Ok(page) => page,
                // A site that refuses to page deeper caps search there.
                Err(e) if self.position.search_start > 0 && e.status() == Some(400) => break,
                Err(e) => {
                    self.record(&[])?;
                    return Err(e.into());
                }
            };
            self.position.requests += 1;
            if let Some(total) = page.total_size.and_then(|t| u64::try_from(t).ok()) {
                self.position.search_total = Some(total);
            }
            self.position.search_start += page.results.len() as u64;
            let users = page.results.into_iter().filter_map(|r| r.user).collect();
            let new = self.add(users);
            self.record(&new)?;
            on_page(&self.progress(), &new);
        }
        self.position.search_done = true;
        self.record(&[])
    }

    /// Every group's members, from the saved group and offset.
    async fn groups(
        &mut self,
        on_page: &mut impl FnMut(&Progress, &[User]),
    ) -> Result<(), SyncError> {
        let groups = match self.position.groups.clone() {
            Some(groups) => groups,
            None => {
                let listed = self
                    .client
                    .groups(Paging::first(GROUP_PAGE), None)
                    .all()
                    .await;
                let listed = match listed {
                    Ok(l) => l,
                    Err(e) => {
                        self.record(&[])?;
                        return Err(e.into());
                    }
                };
                self.position.requests += (listed.len() as u64 / u64::from(GROUP_PAGE)) + 1;
                let ids: Vec<String> = listed.into_iter().map(|g| g.id).collect();
                self.position.groups = Some(ids.clone());
                self.record(&[])?;
                on_page(&self.progress(), &[]);
                ids
            }
        };
        while let Some(id) = groups.get(self.position.group) {
            self.members(id, on_page).await?;
            self.position.group += 1;
            self.position.member_start = 0;
            self.record(&[])?;
        }
        Ok(())
    }

    /// One group's members from the saved offset; a group removed meanwhile is passed over.
    async fn members(
        &mut self,
        group_id: &str,
        on_page: &mut impl FnMut(&Progress, &[User]),
    ) -> Result<(), SyncError> {
        let start = u32::try_from(self.position.member_start).unwrap_or(u32::MAX);
        let mut pages = self
            .client
            .group_members(
                group_id,
                Paging {
                    start,
                    limit: GROUP_PAGE,
                },
                &[],
            )
            .pages();
        while let Some(page) = pages.next().await {
            let page = match page {
                Ok(page) => page,
                Err(e) if e.status() == Some(404) => return Ok(()),
                Err(e) => {
                    self.record(&[])?;
                    return Err(e.into());
                }
            };
            self.position.requests += 1;
            if let Some(total) = page.total_size.and_then(|t| u64::try_from(t).ok()) {
                let largest = self.position.largest_group.unwrap_or(0).max(total);
                self.position.largest_group = Some(largest);
            }
            self.position.member_start += page.results.len() as u64;
            let new = self.add(page.results);
            self.record(&new)?;
            on_page(&self.progress(), &new);
        }
        Ok(())
    }

    /// Keeps the people not seen before (by account id), and returns them.
    fn add(&mut self, users: Vec<User>) -> Vec<User> {
        let new: Vec<User> = users
            .into_iter()
            .filter(|u| {
                u.account_id
                    .as_ref()
                    .is_some_and(|id| !id.is_empty() && self.seen.insert(id.clone()))
            })
            .collect();
        self.people.extend(new.iter().cloned());
        new
    }

    /// Saves the position (and `new` people) when there is a checkpoint.
    fn record(&mut self, new: &[User]) -> Result<(), SyncError> {
        match self.checkpoint.as_mut() {
            Some(cp) => cp.record(&mut self.position, new).map_err(SyncError::Files),
            None => Ok(()),
        }
    }
}
