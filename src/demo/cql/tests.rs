//! Unit tests of the CQL subset: parsing, evaluation, errors, and the names' match keys.

use super::*;

struct P(&'static str, String, Option<String>);
impl Subject for P {
    fn account_id(&self) -> &str {
        self.0
    }
    fn name_key(&self) -> &str {
        &self.1
    }
    fn public_name_key(&self) -> Option<&str> {
        self.2.as_deref()
    }
}
fn p(id: &'static str, name: &str) -> P {
    P(id, match_key(name), None)
}

fn hits(cql: &str) -> Vec<&'static str> {
    let people = [
        p("a1", "Ada Lovelace"),
        p("a2", "Élodie Müller"),
        p("a3", "佐藤 翔太"),
        p("a4", "Siobhan O'Brien"),
        p("a5", "محمد حداد"),
        p("a6", "Jean-Baptiste Lefèvre"),
        P("a7", match_key("Grace Hopper"), Some(match_key("amazing"))),
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

#[test]
fn match_key_removes_case_and_accents() {
    assert_eq!(match_key("Élodie MÜLLER"), "elodie muller");
    assert_eq!(match_key("Łukasz Ødegård"), "lukasz odegard");
    assert_eq!(match_key("O'Brien Weiß"), "obrien weiss");
    assert_eq!(match_key("佐藤 翔太"), "佐藤 翔太");
}
