//! What a client has learnt about its site, kept for the client's lifetime and shared by its
//! clones: which generation of the spaces API the site offers, and which form of `/user/bulk`
//! it honours. Each is found out by the first call that needs it, once, so the extra round trips
//! of finding out are paid once per site rather than on every call.

use std::sync::Mutex;
use tokio::sync::OnceCell;

/// Which spaces API a site offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpacesApi {
    /// `GET /wiki/api/v2/spaces`: Confluence Cloud today.
    V2,
    /// Only `GET /wiki/rest/api/space`: the v2 path answered 404 (Data Center, older sites).
    V1,
}

/// How a site answers `/user/bulk` for several account ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkForm {
    /// `accountId=a&accountId=b`: the form the contract declares (form style, exploded).
    Repeated,
    /// `accountId=a,b`: one comma-joined value, as Atlassian's description of the parameter reads.
    Comma,
    /// Neither form returned every id it was asked for: ask for each id on its own.
    OneByOne,
}

/// What a client has learnt about its site (see the module).
#[derive(Debug, Default)]
pub struct SiteMemory {
    /// Set by the first spaces call that got a clear answer (2xx or 404 from v2).
    pub(crate) spaces: OnceCell<SpacesApi>,
    /// The bulk form last seen to work; `None` until a bulk call of two or more ids found out.
    pub(crate) bulk: Mutex<Option<BulkForm>>,
}

impl SiteMemory {
    /// The spaces API the site is known to offer, if a call found out already.
    pub fn spaces(&self) -> Option<SpacesApi> {
        self.spaces.get().copied()
    }

    /// The bulk form the site is known to honour, if a call found out already.
    pub fn bulk(&self) -> Option<BulkForm> {
        self.bulk.lock().ok().and_then(|b| *b)
    }

    /// Remembers the bulk form that works.
    pub(crate) fn set_bulk(&self, form: BulkForm) {
        if let Ok(mut b) = self.bulk.lock() {
            *b = Some(form);
        }
    }
}
