//! The subset of CQL that `GET /search/user` understands, parsed and evaluated.
//!
//! Fields: `type`, `user.fullname`, `user.accountid` and `user`; operators `=`, `!=`, `~`, `!~`,
//! `IN`, `NOT IN`; `AND`, `OR`, `NOT` and parentheses, with the usual precedence (NOT binds
//! tightest, then AND, then OR). Values are double- or single-quoted strings with `\` escapes, or
//! bare words. `user.fullname~"x"` matches when every word of `x` is the start of a word of the
//! display name or of the public name (nickname), ignoring case and accents. `user.userkey` is
//! accepted, as the contract lists it, but matches no one: Cloud removed user keys.
//! Values may also be `currentUser()`, which the server resolves to the caller.
//!
//! The parser is a plain recursive descent over a token list. It never panics: any input either
//! parses or gives a [`CqlError`] naming the position, which the server turns into a 400. Nesting
//! is bounded so a hostile query cannot exhaust the stack.

use super::directory::{fold, words};
use std::fmt;

/// Deepest nesting of parentheses and `NOT` accepted.
const MAX_DEPTH: usize = 64;

/// Why a query could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CqlError {
    /// Character offset where the problem was found.
    pub position: usize,
    /// What was wrong, in words.
    pub reason: String,
}

impl fmt::Display for CqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at position {}", self.reason, self.position)
    }
}

impl std::error::Error for CqlError {}

/// A parsed query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// Both sides match.
    And(Box<Query>, Box<Query>),
    /// Either side matches.
    Or(Box<Query>, Box<Query>),
    /// The inner query does not match.
    Not(Box<Query>),
    /// `type = x` / `type IN (…)`: true when `user` is among the values.
    Type(Vec<String>),
    /// `user.fullname ~ "x"`: every word of `x` (folded) starts a word of the name.
    NameContains(String),
    /// `user.fullname = "x"`: the whole name, folded.
    NameEquals(String),
    /// `user = x`, `user.accountid = x`, or `IN (…)` of either.
    Account(Vec<String>),
    /// `user.userkey = x`: user keys no longer exist on Cloud, so nothing matches.
    UserKey(Vec<String>),
}

/// The value CQL uses for "the user making the request".
pub const CURRENT_USER: &str = "currentUser()";

/// What a query is evaluated against: one directory entry.
pub trait Subject {
    /// The account id.
    fn account_id(&self) -> &str;
    /// The display name, already folded with [`fold`].
    fn folded_name(&self) -> &str;
    /// The public name (nickname), folded, when it differs from the display name.
    fn folded_public_name(&self) -> Option<&str> {
        None
    }
}

fn name_contains(name: &str, text: &str) -> bool {
    words(text).all(|q| words(name).any(|w| w.starts_with(q)))
}

fn name_equals(name: &str, text: &str) -> bool {
    words(name).eq(words(text))
}

impl Query {
    /// Parses a CQL string.
    pub fn parse(cql: &str) -> Result<Query, CqlError> {
        let tokens = tokenize(cql)?;
        let mut p = Parser {
            tokens,
            pos: 0,
            len: cql.chars().count(),
        };
        let q = p.or(0)?;
        match p.peek() {
            None => Ok(q),
            Some(t) => Err(CqlError {
                position: t.at,
                reason: format!("unexpected {}", t.kind.describe()),
            }),
        }
    }

    /// Replaces `currentUser()` in account clauses by the caller's account id.
    pub fn resolve_current_user(&mut self, account_id: &str) {
        match self {
            Query::And(a, b) | Query::Or(a, b) => {
                a.resolve_current_user(account_id);
                b.resolve_current_user(account_id);
            }
            Query::Not(q) => q.resolve_current_user(account_id),
            Query::Account(ids) => {
                for id in ids.iter_mut() {
                    if id.eq_ignore_ascii_case(CURRENT_USER) {
                        *id = account_id.to_string();
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether a directory entry matches.
    pub fn matches(&self, s: &impl Subject) -> bool {
        match self {
            Query::And(a, b) => a.matches(s) && b.matches(s),
            Query::Or(a, b) => a.matches(s) || b.matches(s),
            Query::Not(q) => !q.matches(s),
            Query::Type(types) => types.iter().any(|t| t.eq_ignore_ascii_case("user")),
            Query::NameContains(text) => {
                name_contains(s.folded_name(), text)
                    || s.folded_public_name()
                        .is_some_and(|p| name_contains(p, text))
            }
            Query::NameEquals(text) => {
                name_equals(s.folded_name(), text)
                    || s.folded_public_name().is_some_and(|p| name_equals(p, text))
            }
            Query::Account(ids) => ids.iter().any(|id| id == s.account_id()),
            Query::UserKey(_) => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Word(String),
    Str(String),
    LParen,
    RParen,
    Comma,
    Op(&'static str),
}

impl Kind {
    fn describe(&self) -> String {
        match self {
            Kind::Word(w) => format!("`{w}`"),
            Kind::Str(s) => format!("string \"{s}\""),
            Kind::LParen => "`(`".into(),
            Kind::RParen => "`)`".into(),
            Kind::Comma => "`,`".into(),
            Kind::Op(o) => format!("`{o}`"),
        }
    }

    fn is_keyword(&self, kw: &str) -> bool {
        matches!(self, Kind::Word(w) if w.eq_ignore_ascii_case(kw))
    }
}

#[derive(Clone, Debug)]
struct Token {
    kind: Kind,
    at: usize,
}

fn tokenize(cql: &str) -> Result<Vec<Token>, CqlError> {
    let chars: Vec<char> = cql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i;
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Token {
                    kind: Kind::LParen,
                    at,
                });
                i += 1;
            }
            ')' => {
                out.push(Token {
                    kind: Kind::RParen,
                    at,
                });
                i += 1;
            }
            ',' => {
                out.push(Token {
                    kind: Kind::Comma,
                    at,
                });
                i += 1;
            }
            '=' | '~' => {
                out.push(Token {
                    kind: Kind::Op(if c == '=' { "=" } else { "~" }),
                    at,
                });
                i += 1;
            }
            '!' => {
                let op = match chars.get(i + 1) {
                    Some('=') => "!=",
                    Some('~') => "!~",
                    _ => {
                        return Err(CqlError {
                            position: at,
                            reason: "`!` must be followed by `=` or `~`".into(),
                        })
                    }
                };
                out.push(Token {
                    kind: Kind::Op(op),
                    at,
                });
                i += 2;
            }
            '"' | '\'' => {
                let quote = c;
                let mut text = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => {
                            return Err(CqlError {
                                position: at,
                                reason: "unterminated string".into(),
                            })
                        }
                        Some('\\') => {
                            match chars.get(i + 1) {
                                Some(&e) => text.push(e),
                                None => {
                                    return Err(CqlError {
                                        position: i,
                                        reason: "dangling `\\` at the end".into(),
                                    })
                                }
                            }
                            i += 2;
                        }
                        Some(&q) if q == quote => {
                            i += 1;
                            break;
                        }
                        Some(&other) => {
                            text.push(other);
                            i += 1;
                        }
                    }
                }
                out.push(Token {
                    kind: Kind::Str(text),
                    at,
                });
            }
            c if c.is_alphanumeric() || "_.:-@".contains(c) => {
                let mut word = String::new();
                while let Some(&w) = chars.get(i) {
                    if w.is_alphanumeric() || "_.:-@".contains(w) {
                        word.push(w);
                        i += 1;
                    } else {
                        break;
                    }
                }
                out.push(Token {
                    kind: Kind::Word(word),
                    at,
                });
            }
            other => {
                return Err(CqlError {
                    position: at,
                    reason: format!("unexpected character `{other}`"),
                })
            }
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    len: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Type,
    FullName,
    Account,
    UserKey,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn end_error(&self, what: &str) -> CqlError {
        CqlError {
            position: self.len,
            reason: format!("the query ended where {what} was expected"),
        }
    }

    fn at_keyword(&self, kw: &str) -> bool {
        self.peek().is_some_and(|t| t.kind.is_keyword(kw))
    }

    fn or(&mut self, depth: usize) -> Result<Query, CqlError> {
        let mut left = self.and(depth)?;
        while self.at_keyword("OR") {
            self.pos += 1;
            let right = self.and(depth)?;
            left = Query::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Query, CqlError> {
        let mut left = self.not(depth)?;
        while self.at_keyword("AND") {
            self.pos += 1;
            let right = self.not(depth)?;
            left = Query::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self, depth: usize) -> Result<Query, CqlError> {
        if depth > MAX_DEPTH {
            return Err(CqlError {
                position: self.peek().map_or(self.len, |t| t.at),
                reason: "the query is nested too deeply".into(),
            });
        }
        if self.at_keyword("NOT") {
            self.pos += 1;
            let inner = self.not(depth + 1)?;
            return Ok(Query::Not(Box::new(inner)));
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<Query, CqlError> {
        let Some(t) = self.next() else {
            return Err(self.end_error("a condition"));
        };
        match t.kind {
            Kind::LParen => {
                let q = self.or(depth + 1)?;
                match self.next() {
                    Some(Token {
                        kind: Kind::RParen, ..
                    }) => Ok(q),
                    Some(other) => Err(CqlError {
                        position: other.at,
                        reason: format!("expected `)` but found {}", other.kind.describe()),
                    }),
                    None => Err(self.end_error("`)`")),
                }
            }
            Kind::Word(ref w) => {
                let field = match w.to_ascii_lowercase().as_str() {
                    "type" => Field::Type,
                    "user.fullname" => Field::FullName,
                    "user.accountid" | "user" => Field::Account,
                    "user.userkey" => Field::UserKey,
                    _ => {
                        return Err(CqlError {
                            position: t.at,
                            reason: format!("unknown field `{w}`"),
                        })
                    }
                };
                self.clause(field, t.at)
            }
            other => Err(CqlError {
                position: t.at,
                reason: format!("expected a field but found {}", other.describe()),
            }),
        }
    }

    fn clause(&mut self, field: Field, at: usize) -> Result<Query, CqlError> {
        let Some(op) = self.next() else {
            return Err(self.end_error("an operator"));
        };
        let (op, negated) = match &op.kind {
            Kind::Op(o) => (*o, o.starts_with('!')),
            k if k.is_keyword("IN") => ("in", false),
            k if k.is_keyword("NOT") => {
                if self.at_keyword("IN") {
                    self.pos += 1;
                    ("in", true)
                } else {
                    return Err(CqlError {
                        position: op.at,
                        reason: "`NOT` after a field must be followed by `IN`".into(),
                    });
                }
            }
            k => {
                return Err(CqlError {
                    position: op.at,
                    reason: format!("expected an operator but found {}", k.describe()),
                })
            }
        };
        let values = if op == "in" {
            self.list()?
        } else {
            vec![self.value()?]
        };
        let query = match (field, op) {
            (Field::Type, "=" | "!=" | "in") => Query::Type(values),
            (Field::Account, "=" | "!=" | "in") => Query::Account(values),
            (Field::UserKey, "=" | "!=" | "in") => Query::UserKey(values),
            (Field::FullName, "~" | "!~") => Query::NameContains(fold(&values.join(" "))),
            (Field::FullName, "=" | "!=") => Query::NameEquals(fold(&values.join(" "))),
            _ => {
                return Err(CqlError {
                    position: at,
                    reason: format!("operator `{op}` is not supported for this field"),
                })
            }
        };
        Ok(if negated {
            Query::Not(Box::new(query))
        } else {
            query
        })
    }

    fn value(&mut self) -> Result<String, CqlError> {
        match self.next() {
            Some(Token {
                kind: Kind::Str(s), ..
            }) => Ok(s),
            Some(Token {
                kind: Kind::Word(w),
                at,
            }) => {
                if ["AND", "OR", "NOT", "IN"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k))
                {
                    Err(CqlError {
                        position: at,
                        reason: format!("expected a value but found keyword `{w}`"),
                    })
                } else if w.eq_ignore_ascii_case("currentUser")
                    && matches!(
                        self.peek(),
                        Some(Token {
                            kind: Kind::LParen,
                            ..
                        })
                    )
                {
                    self.pos += 1;
                    match self.next() {
                        Some(Token {
                            kind: Kind::RParen, ..
                        }) => Ok(CURRENT_USER.to_string()),
                        _ => Err(CqlError {
                            position: at,
                            reason: "currentUser() takes no arguments".into(),
                        }),
                    }
                } else {
                    Ok(w)
                }
            }
            Some(t) => Err(CqlError {
                position: t.at,
                reason: format!("expected a value but found {}", t.kind.describe()),
            }),
            None => Err(self.end_error("a value")),
        }
    }

    fn list(&mut self) -> Result<Vec<String>, CqlError> {
        match self.next() {
            Some(Token {
                kind: Kind::LParen, ..
            }) => {}
            Some(t) => {
                return Err(CqlError {
                    position: t.at,
                    reason: format!("expected `(` after IN but found {}", t.kind.describe()),
                })
            }
            None => return Err(self.end_error("`(`")),
        }
        let mut values = vec![self.value()?];
        loop {
            match self.next() {
                Some(Token {
                    kind: Kind::Comma, ..
                }) => values.push(self.value()?),
                Some(Token {
                    kind: Kind::RParen, ..
                }) => return Ok(values),
                Some(t) => {
                    return Err(CqlError {
                        position: t.at,
                        reason: format!("expected `,` or `)` but found {}", t.kind.describe()),
                    })
                }
                None => return Err(self.end_error("`)`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct P(&'static str, String, Option<String>);
    impl Subject for P {
        fn account_id(&self) -> &str {
            self.0
        }
        fn folded_name(&self) -> &str {
            &self.1
        }
        fn folded_public_name(&self) -> Option<&str> {
            self.2.as_deref()
        }
    }
    fn p(id: &'static str, name: &str) -> P {
        P(id, fold(name), None)
    }

    fn hits(cql: &str) -> Vec<&'static str> {
        let people = [
            p("a1", "Ada Lovelace"),
            p("a2", "Élodie Müller"),
            p("a3", "佐藤 翔太"),
            p("a4", "Siobhan O'Brien"),
            p("a5", "محمد حداد"),
            p("a6", "Jean-Baptiste Lefèvre"),
            P("a7", fold("Grace Hopper"), Some(fold("amazing"))),
        ];
        let mut q = Query::parse(cql).unwrap_or_else(|e| panic!("{cql}: {e}"));
        q.resolve_current_user("a4");
        people
            .iter()
            .filter(|x| q.matches(*x))
            .map(|x| x.0)
            .collect()
    }

    #[test]
    fn fullname_is_a_word_prefix_match_ignoring_case_and_accents() {
        assert_eq!(hits(r#"user.fullname~"ada""#), ["a1"]);
        assert_eq!(hits(r#"user.fullname~"LOVE""#), ["a1"]);
        assert_eq!(hits(r#"user.fullname~"ove""#), Vec::<&str>::new());
        assert_eq!(hits(r#"user.fullname~"elodie mul""#), ["a2"]);
        assert_eq!(hits(r#"user.fullname~"müller""#), ["a2"]);
        assert_eq!(hits(r#"user.fullname~"佐藤""#), ["a3"]);
        assert_eq!(hits(r#"user.fullname~"obrien""#), ["a4"]);
        assert_eq!(hits(r#"user.fullname~"o'brien""#), ["a4"]);
        assert_eq!(hits(r#"user.fullname~"محمد""#), ["a5"]);
        assert_eq!(hits(r#"user.fullname~"baptiste""#), ["a6"]);
        assert_eq!(hits(r#"user.fullname~'lefevre'"#), ["a6"]);
        // The nickname counts too, but words must all come from one of the two names.
        assert_eq!(hits(r#"user.fullname~"amaz""#), ["a7"]);
        assert_eq!(hits(r#"user.fullname="amazing""#), ["a7"]);
        assert_eq!(hits(r#"user.fullname~"grace amaz""#), Vec::<&str>::new());
    }

    #[test]
    fn current_user_and_user_keys() {
        assert_eq!(hits("user = currentUser()"), ["a4"]);
        assert_eq!(hits("user IN (a1, CURRENTUSER())"), ["a1", "a4"]);
        assert_eq!(hits("user.userkey = abc").len(), 0);
        assert!(Query::parse("user = currentUser(x)").is_err());
    }

    #[test]
    fn equality_accounts_and_lists() {
        assert_eq!(hits(r#"user.fullname="ada lovelace""#), ["a1"]);
        assert_eq!(hits(r#"user.fullname="ada""#), Vec::<&str>::new());
        assert_eq!(hits(r#"user.accountid="a2""#), ["a2"]);
        assert_eq!(hits("user=a3"), ["a3"]);
        assert_eq!(hits(r#"user IN ("a1", "a4",'a6')"#), ["a1", "a4", "a6"]);
        assert_eq!(
            hits(r#"user NOT IN ("a1","a2","a3")"#),
            ["a4", "a5", "a6", "a7"]
        );
        assert_eq!(hits(r#"user != "a1" and user.accountid != a2"#).len(), 5);
    }

    #[test]
    fn boolean_operators_and_precedence() {
        assert_eq!(hits("type=user").len(), 7);
        assert_eq!(hits("type=page").len(), 0);
        assert_eq!(hits("type IN (page, user)").len(), 7);
        assert_eq!(
            hits(r#"type=user AND user.fullname~"ada" OR user.fullname~"elodie""#),
            ["a1", "a2"]
        );
        // AND binds tighter than OR.
        assert_eq!(
            hits(r#"user.fullname~"elodie" OR type=page AND user.fullname~"ada""#),
            ["a2"]
        );
        assert_eq!(
            hits(r#"(user.fullname~"elodie" OR type=user) AND user.fullname~"ada""#),
            ["a1"]
        );
        assert_eq!(hits(r#"NOT user.fullname~"ada""#).len(), 6);
        assert_eq!(hits(r#"not not user = a1"#), ["a1"]);
        assert_eq!(
            hits(r#"user.fullname!~"a""#),
            ["a2", "a3", "a4", "a5", "a6"]
        );
        assert_eq!(hits(r#"user.fullname~"say \"hi\"""#), Vec::<&str>::new());
    }

    #[test]
    fn malformed_queries_are_errors_not_panics() {
        for bad in [
            "",
            "   ",
            "user.fullname",
            "user.fullname~",
            r#"user.fullname~"unterminated"#,
            r#"user.fullname~"x\"#,
            r#"user.fullname~"x" AND"#,
            r#"user.fullname~"x" OR OR user=a"#,
            r#"(user=a"#,
            r#"user=a)"#,
            "user IN a1",
            "user IN (a1,",
            "user IN (a1 a2)",
            "user IN ()",
            "user NOT a1",
            "space.title~x",
            "user.fullname IN (a)",
            "type ~ user",
            "user ! a",
            "user = AND",
            "user = #",
            "= a",
            ")",
            "NOT",
        ] {
            assert!(Query::parse(bad).is_err(), "{bad:?} should not parse");
        }
        let deep = "(".repeat(10_000) + "user=a" + &")".repeat(10_000);
        let err = Query::parse(&deep).unwrap_err();
        assert!(err.reason.contains("nested"), "{err}");
        let nots = "NOT ".repeat(10_000) + "user=a";
        assert!(Query::parse(&nots).is_err());
    }

    #[test]
    fn errors_name_the_position() {
        let err = Query::parse("user = a1 AND foo = b").unwrap_err();
        assert_eq!(err.position, 14);
        assert!(err.to_string().contains("unknown field `foo`"), "{err}");
    }
}
