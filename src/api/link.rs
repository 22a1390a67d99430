//! The `Link` response header (RFC 8288), which Confluence's v2 lists use to announce their next
//! page: `Link: </wiki/api/v2/spaces?cursor=…>; rel="next", <https://site.atlassian.net/wiki>;
//! rel="base"` (the header's description in Atlassian's v2 spec, on every cursor-paged list).
//!
//! `send` does not return headers, so a list call that wants this one runs inside [`capture`]:
//! the answer's `Link` header is noted for that call only (a task-local), and calls outside a
//! capture note nothing. The parser takes only what confdir reads, the `next` target; it is a
//! few lines over a fixed grammar rather than a dependency.

use reqwest::header::{HeaderMap, LINK};
use std::cell::RefCell;
use std::future::Future;

tokio::task_local! {
    /// The `Link` header of the latest 2xx answer within the current capture.
    static LINK_HEADER: RefCell<Option<String>>;
}

/// Runs `call` and returns its result with the `rel="next"` target of the `Link` header of its
/// successful answer, if it had one.
pub(crate) async fn capture<F: Future>(call: F) -> (F::Output, Option<String>) {
    LINK_HEADER
        .scope(RefCell::new(None), async {
            let out = call.await;
            let header = LINK_HEADER.with(|h| h.borrow_mut().take());
            (out, header.as_deref().and_then(next_target))
        })
        .await
}

/// Notes the `Link` header of a successful answer, when a [`capture`] is listening.
pub(crate) fn record(headers: &HeaderMap) {
    let value = headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(", ");
    let _ = LINK_HEADER.try_with(|h| *h.borrow_mut() = (!value.is_empty()).then_some(value));
}

/// The target of the first link whose `rel` includes `next`, as written (usually relative).
pub fn next_target(header: &str) -> Option<String> {
    let mut rest = header;
    loop {
        let open = rest.find('<')?;
        let close = open + rest[open..].find('>')?;
        let target = &rest[open + 1..close];
        // The parameters run to the next link: a `,` outside a quoted string.
        let params_start = close + 1;
        let mut quoted = false;
        let mut end = rest.len();
        for (i, c) in rest[params_start..].char_indices() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => {
                    end = params_start + i;
                    break;
                }
                _ => {}
            }
        }
        let is_next = rest[params_start..end].split(';').any(|param| {
            let Some((name, value)) = param.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
        });
        if is_next && !target.trim().is_empty() {
            return Some(target.trim().to_string());
        }
        rest = rest.get(end + 1..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_target_is_found_in_atlassians_example() {
        let header = r#"</wiki/api/v2/spaces?cursor=abc>; rel="next", <https://site.atlassian.net/wiki>; rel="base""#;
        assert_eq!(
            next_target(header).as_deref(),
            Some("/wiki/api/v2/spaces?cursor=abc")
        );
        let base_first = r#"<https://site.atlassian.net/wiki>; rel="base", </n?a=1,2>; rel=next"#;
        assert_eq!(next_target(base_first).as_deref(), Some("/n?a=1,2"));
        assert_eq!(next_target(r#"<https://x/wiki>; rel="base""#), None);
        assert_eq!(next_target("garbage"), None);
        assert_eq!(next_target(r#"<>; rel="next""#), None);
    }
}
