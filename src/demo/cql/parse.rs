//! Text to [`Query`]: a tokenizer and a plain recursive-descent parser for the CQL subset
//! described in `cql/mod.rs`.
//!
//! Every input either parses or gives a [`CqlError`] naming the character position; nothing here
//! panics, and nesting is bounded by [`MAX_DEPTH`] so a hostile query cannot exhaust the stack.
//! It evaluates nothing and knows nothing of the directory.

use super::{match_key, CqlError, Query, CURRENT_USER};

/// Deepest nesting of parentheses and `NOT` accepted.
const MAX_DEPTH: usize = 64;

/// Parses a CQL string: the whole of it must be one query.
pub(super) fn parse(cql: &str) -> Result<Query, CqlError> {
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
                let (text, end) = quoted(&chars, at, c)?;
                out.push(Token {
                    kind: Kind::Str(text),
                    at,
                });
                i = end;
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

/// The string that opens with `quote` at `at`, escapes resolved, and the index just past its
/// closing quote.
fn quoted(chars: &[char], at: usize, quote: char) -> Result<(String, usize), CqlError> {
    let mut text = String::new();
    let mut i = at + 1;
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
            Some(&q) if q == quote => return Ok((text, i + 1)),
            Some(&other) => {
                text.push(other);
                i += 1;
            }
        }
    }
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
            (Field::FullName, "~" | "!~") => Query::NameContains(match_key(&values.join(" "))),
            (Field::FullName, "=" | "!=") => Query::NameEquals(match_key(&values.join(" "))),
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
